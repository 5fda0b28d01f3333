/**
 * Who may call what. Every contract method appears here (the compiler insists), so a new method
 * cannot ship without someone deciding its roles. Auditors read and verify but never change
 * clinical records; only administrators manage accounts.
 */
import type { MethodName, Role } from '../contract/ipcContract';
import type { LanternSession } from './accountability/lanternSession';
import { LanternError } from './serviceErrors';

/** `anyone`: works while locked (sign-in itself, status). Otherwise the roles allowed. */
export type Access = 'anyone' | readonly Role[];

const everyone: readonly Role[] = ['clinician', 'auditor', 'admin'];
const clinical: readonly Role[] = ['clinician', 'admin'];
const oversight: readonly Role[] = ['auditor', 'admin'];
const adminOnly: readonly Role[] = ['admin'];

export const methodAccess: Record<MethodName, Access> = {
  sessionStatus: 'anyone',
  setup: 'anyone',
  unlock: 'anyone',
  recoverWithKey: 'anyone',
  lock: 'anyone',
  getCatalogue: 'anyone',
  rememberStatus: 'anyone',
  unlockRemembered: 'anyone',
  rememberOnThisComputer: everyone,
  forgetOnThisComputer: everyone,
  changePassphrase: everyone,
  listUsers: adminOnly,
  addUser: adminOnly,
  disableUser: adminOnly,
  keyRotationStatus: adminOnly,
  resetUserPassphrase: adminOnly,
  searchPatients: everyone,
  getPatient: everyone,
  listCases: everyone,
  getCase: everyone,
  getImageFrame: everyone,
  listImageMeasurements: everyone,
  addImageMeasurement: clinical,
  removeImageMeasurement: clinical,
  createPatient: clinical,
  updatePatientLists: clinical,
  runDiagnosis: clinical,
  runInterview: clinical,
  saveInterview: clinical,
  saveCase: clinical,
  attachImage: clinical,
  removeImage: clinical,
  runImageModel: clinical,
  analyseNote: clinical,
  // Any signed-in role may export a case: clinicians hand it on, auditors file it; each export is audited.
  exportCase: everyone,
  recordDecision: clinical,
  recordFinalDiagnosis: clinical,
  searchAudit: oversight,
  getSuggestionAudit: oversight,
  rerunSuggestion: oversight,
  agreementStats: oversight,
  listAuditEvents: oversight,
  // Everyone sees whether the trail is intact: a broken chain is shown to whoever is signed in.
  verifyAuditChain: everyone,
  // A backup changes no record and stays encrypted: whoever is signed in may protect the data.
  createBackup: everyone,
  // Readable while locked: the recovery screen offers these when the database cannot be opened.
  // A listing holds dates, sizes and hashes, nothing about patients.
  listBackups: 'anyone',
  restoreBackup: 'anyone',
  // Restoring in a running install is the administrator's; so is checking a backup for it.
  verifyBackup: adminOnly,
  // Aggregate counts: every role may look; exports hold no patient identifiers and are audited.
  surveillanceReport: everyone,
  surveillanceAlerts: everyone,
  exportSurveillance: everyone,
};

/** Answered while a key rotation has the database closed (everything else then answers DATABASE_IN_USE). */
const answersDuringKeyRotation: ReadonlySet<MethodName> = new Set<MethodName>(['keyRotationStatus']);

/** Throws LOCKED when a signed-in method is called while locked, FORBIDDEN for the wrong role. */
export function authorise(session: LanternSession, method: MethodName): void {
  const access = methodAccess[method];
  if (access === 'anyone') return;
  const user = answersDuringKeyRotation.has(method) ? session.signedInUser() : session.require().user;
  if (!access.includes(user.role)) {
    throw new LanternError('FORBIDDEN', `Your role (${user.role}) may not do this (${method}); it needs ${access.join(' or ')}.`);
  }
}
