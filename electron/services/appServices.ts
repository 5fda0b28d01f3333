/**
 * The composition root shared by Electron main, the loopback host and the CLI: one session, the
 * models loaded once on first use, and the dispatcher every transport calls.
 */
import type { Result } from '../contract/ipcContract';
import { loadModelRegistry } from '../../models/registry';
import { loadClinicalCatalogue } from '../../models/vocab/clinicalCatalogue';
import type { ScryptParams } from '../../db/keyring';
import { LanternSession } from './lanternSession';
import type { ClinicalModels } from './diagnosisService';
import { createMethodHandlers } from './methodHandlers';
import type { MethodHandlers } from './methodHandlers';
import { dispatch } from './dispatch';

export interface AppServices {
  session: LanternSession;
  models: () => ClinicalModels;
  handlers: MethodHandlers;
  call: (method: unknown, payload: unknown) => Promise<Result<unknown>>;
  close: () => void;
}

export function createAppServices(options: { dbPath: string; modelsDir?: string; kdf?: ScryptParams }): AppServices {
  const session = new LanternSession({ dbPath: options.dbPath, kdf: options.kdf });
  let loaded: ClinicalModels | undefined;
  const models = (): ClinicalModels =>
    (loaded ??= { registry: loadModelRegistry(options.modelsDir), catalogue: loadClinicalCatalogue(options.modelsDir) });
  const handlers = createMethodHandlers({ session, models });
  return {
    session,
    models,
    handlers,
    call: (method, payload) => dispatch(handlers, method, payload),
    close: () => session.lock(),
  };
}
