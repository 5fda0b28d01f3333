/**
 * Readiness signals for end-to-end tests (and anything else that must know when a screen is
 * usable): `body[data-lantern-ready="<screen>"]` plus a `lantern:ready` event, and
 * `body[data-lantern-differential="ready"]` while a differential is on screen. Features that finish
 * later than their screen have their own flags: `data-lantern-viewer` (an image frame is drawn),
 * `data-lantern-overlay` (a model overlay is drawn), `data-lantern-note` (a note analysis finished).
 */
import { useEffect } from 'react';

export type ScreenName =
  'setup' | 'recovery-key' | 'unlock' | 'patients' | 'patient' | 'case-new' | 'case-detail' | 'users' | 'audit' | 'surveillance' | 'recovery' | 'backups';

export interface ReadyEventDetail {
  screen: ScreenName;
}

export function markReady(screen: ScreenName): void {
  document.body.dataset.lanternReady = screen;
  window.dispatchEvent(new CustomEvent<ReadyEventDetail>('lantern:ready', { detail: { screen } }));
}

export function clearReady(): void {
  delete document.body.dataset.lanternReady;
}

export function markDifferentialReady(): void {
  document.body.dataset.lanternDifferential = 'ready';
}

export function clearDifferentialReady(): void {
  delete document.body.dataset.lanternDifferential;
}

/**
 * Signals `screen` once `ready` is true; while it is false any stale signal (from the previous
 * screen or an earlier load) is cleared, so a test never sees "ready" for data not yet shown.
 */
export function useScreenReady(screen: ScreenName, ready: boolean): void {
  useEffect(() => {
    if (!ready) {
      clearReady();
      return;
    }
    markReady(screen);
    return () => {
      if (document.body.dataset.lanternReady === screen) clearReady();
    };
  }, [screen, ready]);
}

/** Sets the differential signal for as long as the calling component is mounted. */
export function useDifferentialReady(): void {
  useEffect(() => {
    markDifferentialReady();
    return clearDifferentialReady;
  }, []);
}

/** Flags for work that completes after its screen is ready; each is "ready" or absent. */
export type FeatureSignal = 'viewer' | 'overlay' | 'note' | 'alerts';

const datasetKey: Record<FeatureSignal, 'lanternViewer' | 'lanternOverlay' | 'lanternNote' | 'lanternAlerts'> = {
  viewer: 'lanternViewer',
  overlay: 'lanternOverlay',
  note: 'lanternNote',
  // The home screen's surveillance alerts have loaded (`data-lantern-alerts`).
  alerts: 'lanternAlerts',
};

export function markFeatureReady(signal: FeatureSignal): void {
  document.body.dataset[datasetKey[signal]] = 'ready';
}

export function clearFeatureReady(signal: FeatureSignal): void {
  delete document.body.dataset[datasetKey[signal]];
}

/** The recovery screen's kind: `body[data-lantern-recovery="<error code>"]` while it is shown. */
export function markRecovery(code: string | null): void {
  if (code === null) delete document.body.dataset.lanternRecovery;
  else document.body.dataset.lanternRecovery = code;
}

/** The chain check after sign-in: `body[data-lantern-audit-chain]` is "intact" or "broken" once known. */
export function markAuditChain(state: 'intact' | 'broken' | null): void {
  if (state === null) delete document.body.dataset.lanternAuditChain;
  else document.body.dataset.lanternAuditChain = state;
}
