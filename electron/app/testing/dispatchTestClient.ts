/**
 * Test support: call the app through its dispatcher exactly as IPC and the loopback host do, and
 * unwrap the envelope: `ok` returns the value or throws with the error code; `fails` asserts the
 * call failed and returns the error payload.
 */
import { afterEach, beforeEach, expect } from 'vitest';
import type {
  ErrorPayload,
  ImageModelAbstention,
  ImageModelResult,
  MethodName,
  RequestOf,
  ResponseOf,
  Result,
  SessionStatus,
  UserSummary,
} from '../../contract/ipcContract';
import { join } from 'node:path';
import { createAppServices, type AppServices } from '../appServices';
import { makeTempDir, testKdf } from '../../../db/testing/tmpStore';

/** A case as saveCase and runDiagnosis take it: typed fixtures are checked against the contract. */
export type CaseRequest = RequestOf<'saveCase'>['case'];

/** No payload argument means `{}`; an explicit `undefined` is sent as such (bad-input tests send it). */
const requestOf = (args: [unknown?]): unknown => (args.length === 0 ? {} : args[0]);

export function dispatchTestClient(app: () => AppServices) {
  return {
    /** Typed by the contract: the request a method takes, the value it answers with. */
    async ok<M extends MethodName>(method: M, ...payload: [RequestOf<M>?]): Promise<ResponseOf<M>> {
      // The dispatcher answers each method with its contract response (methodHandlers.ts).
      const r = (await app().call(method, requestOf(payload))) as Result<ResponseOf<M>>;
      if (!r.ok) throw new Error(`${method} failed: ${r.error.code} ${r.error.message}`);
      return r.value;
    },
    /** Untyped on purpose: tests also send names that are not methods and payloads that do not parse. */
    async fails(method: unknown, ...payload: [unknown?]): Promise<ErrorPayload> {
      const r = await app().call(method, requestOf(payload));
      expect(r.ok, `${String(method)} should have failed`).toBe(false);
      return (r as { ok: false; error: ErrorPayload }).error;
    },
  };
}

/** An image model answer the test expects to have run (fails, saying why, on an abstention). */
export function ran(answer: ImageModelResult | ImageModelAbstention): ImageModelResult {
  if ('abstained' in answer) throw new Error(`the model abstained: ${answer.abstained.code} ${answer.abstained.message}`);
  return answer;
}

/** The abstention of an image model answer (undefined when the model ran). */
export const abstainedOf = (answer: ImageModelResult | ImageModelAbstention) => ('abstained' in answer ? answer.abstained : undefined);

/** The user of a session the test expects to be signed in (fails, naming the state, otherwise). */
export function signedInUser(status: SessionStatus): UserSummary {
  if (status.state !== 'unlocked') throw new Error(`expected a signed-in session, got ${status.state}`);
  return status.user;
}

/**
 * For each test of a file, an app in its own temporary folder (registers its own hooks). A test may
 * close it and `reopen` it on the same database: a restart, or the app closed while someone edits
 * the file outside it. `options` gets the folder (for a backup folder inside it, say).
 */
export function appPerTest(options: (dir: string) => Partial<Parameters<typeof createAppServices>[0]> = () => ({})) {
  let cleanup = () => {};
  const t = {
    dir: '',
    app: undefined as unknown as AppServices,
    dbPath: () => join(t.dir, 'lantern.db'),
    reopen(): AppServices {
      t.app = createAppServices({ dbPath: t.dbPath(), kdf: testKdf, ...options(t.dir) });
      return t.app;
    },
  };
  beforeEach(() => {
    ({ dir: t.dir, cleanup } = makeTempDir());
    t.reopen();
  });
  afterEach(() => {
    t.app.close();
    cleanup();
  });
  return t;
}

/**
 * appPerTest's app set up with one administrator (Dr Osei, passphrase "correct horse") and signed
 * in, with the dispatch client (`ok`, `fails`) on it.
 */
export function signedInAppPerTest() {
  const t = appPerTest();
  const client = dispatchTestClient(() => t.app);
  beforeEach(async () => {
    await client.ok('setup', { displayName: 'Dr Osei', passphrase: 'correct horse' });
  });
  return Object.assign(t, client);
}
