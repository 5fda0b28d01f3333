/**
 * What the signed-in user's role lets the interface offer. The app enforces the same rules on
 * every call (electron/app/methodAccess.ts); this only hides controls a role could not use,
 * so an auditor never meets a "Save" button that can only fail.
 */
import { createContext, useContext } from 'react';
import type { Role, UserSummary } from '../../electron/contract/ipcContract';
import type { Route } from './navigation';

/** Records patients, cases, decisions and final diagnoses. */
export function canEditClinical(role: Role | undefined): boolean {
  return role === 'clinician' || role === 'admin';
}

/** Opens the audit workspace: search, inputs and outputs, re-runs, agreement. */
export function canAudit(role: Role | undefined): boolean {
  return role === 'auditor' || role === 'admin';
}

export function canManageUsers(role: Role | undefined): boolean {
  return role === 'admin';
}

/** Where a user lands after signing in: auditors have no patient list of their own to work from. */
export function homeRoute(role: Role): Route {
  return role === 'auditor' ? { screen: 'audit' } : { screen: 'patients' };
}

/** The signed-in user, for screens deep in the tree; null before sign-in. */
export const SessionUserContext = createContext<UserSummary | null>(null);

export function useSessionUser(): UserSummary | null {
  return useContext(SessionUserContext);
}
