/**
 * The renderer's only way to reach the app. In Electron the preload exposes `window.lantern`;
 * in a browser against the loopback host every method is a POST to `/api/<method>`. Either way
 * each call resolves to the contract's Result envelope and never rejects.
 */
import type { ErrorPayload, LanternApi, MethodName, Result } from '../../../electron/contract/ipcContract';
import { isRecoveryCode } from '../recovery';

declare global {
  interface Window {
    lantern?: LanternApi;
  }
}

/** `satisfies` makes the compiler prove this lists every contract method, and nothing else. */
const methodTable = {
  sessionStatus: true,
  setup: true,
  unlock: true,
  lock: true,
  getCatalogue: true,
  searchPatients: true,
  createPatient: true,
  getPatient: true,
  updatePatientLists: true,
  listCases: true,
  getCase: true,
  runDiagnosis: true,
  runInterview: true,
  saveCase: true,
  attachImage: true,
  removeImage: true,
  getImageFrame: true,
  addImageMeasurement: true,
  listImageMeasurements: true,
  removeImageMeasurement: true,
  runImageModel: true,
  analyseNote: true,
  exportCase: true,
  createBackup: true,
  listBackups: true,
  restoreBackup: true,
  verifyBackup: true,
  surveillanceReport: true,
  surveillanceAlerts: true,
  exportSurveillance: true,
  recoverWithKey: true,
  rememberStatus: true,
  rememberOnThisComputer: true,
  forgetOnThisComputer: true,
  unlockRemembered: true,
  changePassphrase: true,
  listUsers: true,
  addUser: true,
  disableUser: true,
  resetUserPassphrase: true,
  recordDecision: true,
  recordFinalDiagnosis: true,
  searchAudit: true,
  getSuggestionAudit: true,
  rerunSuggestion: true,
  agreementStats: true,
  verifyAuditChain: true,
  listAuditEvents: true,
} as const satisfies Record<MethodName, true>;

export const methodNames = Object.keys(methodTable) as MethodName[];

/**
 * Fired whenever any call reports LOCKED, so the app can fall back to the unlock screen. The
 * event's `detail` is the error, whose message says why (e.g. locked after inactivity).
 */
export const LOCKED_EVENT = 'lantern:locked';
export type LockedEvent = CustomEvent<ErrorPayload>;

/**
 * Fired whenever any call reports that the data or a model file cannot be used as it is (a damaged
 * database, a missing key file, a newer database, a failed upgrade, a tampered model): the app
 * shows the recovery screen for it (see recovery.ts). `detail` is the error.
 */
export const RECOVERY_EVENT = 'lantern:recovery';
export type RecoveryEvent = CustomEvent<ErrorPayload>;

const TOKEN_KEY = 'lantern-token';
const TOKEN_HEADER = 'x-lantern-token';

type Transport = (method: MethodName, request: unknown) => Promise<Result<unknown>>;

function failure(message: string): Result<never> {
  return { ok: false, error: { code: 'INTERNAL', message } };
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * The host puts its per-launch secret in the URL fragment (never sent over the wire). Keep it
 * for this tab only and drop it from the address bar so it is not bookmarked or shared.
 */
function takeToken(): string | null {
  const params = new URLSearchParams(window.location.hash.replace(/^#/, ''));
  const fromHash = params.get('token');
  if (fromHash && /^[\w-]+$/.test(fromHash)) {
    try {
      sessionStorage.setItem(TOKEN_KEY, fromHash);
    } catch {
      // Storage can be disabled; the token still works for this page load.
    }
    history.replaceState(null, '', window.location.pathname + window.location.search);
    return fromHash;
  }
  try {
    return sessionStorage.getItem(TOKEN_KEY);
  } catch {
    return null;
  }
}

function isEnvelope(body: unknown): body is Result<unknown> {
  if (typeof body !== 'object' || body === null || !('ok' in body)) return false;
  const b = body as { ok: unknown; error?: { code?: unknown; message?: unknown } };
  if (b.ok === true) return 'value' in body;
  return b.ok === false && typeof b.error?.code === 'string' && typeof b.error.message === 'string';
}

function httpTransport(): Transport {
  const token = takeToken();
  return async (method, request) => {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (token) headers[TOKEN_HEADER] = token;
    let response: Response;
    try {
      response = await fetch(`/api/${method}`, { method: 'POST', headers, body: JSON.stringify(request) });
    } catch (err) {
      return failure(`Network error: ${describe(err)}`);
    }
    // The host answers with an envelope for 4xx too, so the status code only matters if it did not.
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      return failure(`Unexpected response from host (HTTP ${response.status})`);
    }
    return isEnvelope(body) ? body : failure(`Malformed response from host (HTTP ${response.status})`);
  };
}

function bridgeTransport(bridge: LanternApi): Transport {
  return async (method, request) => {
    try {
      const call = bridge[method] as (req: unknown) => Promise<Result<unknown>>;
      return await call(request);
    } catch (err) {
      return failure(describe(err));
    }
  };
}

function buildApi(transport: Transport): LanternApi {
  const table: Partial<Record<MethodName, (request: unknown) => Promise<Result<unknown>>>> = {};
  for (const method of methodNames) {
    table[method] = async (request) => {
      const result = await transport(method, request);
      if (!result.ok && result.error.code === 'LOCKED') window.dispatchEvent(new CustomEvent(LOCKED_EVENT, { detail: result.error }));
      if (!result.ok && isRecoveryCode(result.error.code)) window.dispatchEvent(new CustomEvent(RECOVERY_EVENT, { detail: result.error }));
      return result;
    };
  }
  // Each entry forwards its request and envelope unchanged, so the per-method types hold.
  return table as unknown as LanternApi;
}

export const api: LanternApi = buildApi(window.lantern ? bridgeTransport(window.lantern) : httpTransport());
