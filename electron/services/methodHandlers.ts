/**
 * One handler per contract method. Requests arrive already validated by the contract's schema
 * (see dispatch.ts); handlers only decide what the app does.
 */
import type { MethodName, ParsedRequestOf, ResponseOf } from '../contract/ipcContract';
import type { LanternSession } from './lanternSession';
import type { ClinicalModels } from './diagnosisService';
import { buildCatalogue } from './catalogueService';
import { attachImage, getImageFrame, runImageModel } from './imagingService';
import { analyseNote } from './noteService';
import { createPatient, getCase, getPatient, listCases, previewDiagnosis, saveCase } from './caseService';

export type MethodHandlers = {
  [M in MethodName]: (request: ParsedRequestOf<M>) => Promise<ResponseOf<M>> | ResponseOf<M>;
};

export interface HandlerDeps {
  session: LanternSession;
  /** Loaded on first use, so a tampered model file is reported when a model is needed, not as a failed start. */
  models: () => ClinicalModels;
}

export function createMethodHandlers({ session, models }: HandlerDeps): MethodHandlers {
  return {
    sessionStatus: () => session.status(),
    setup: (r) => session.setup(r.displayName, r.passphrase),
    unlock: (r) => session.unlock(r.passphrase),
    lock: () => session.lock(),
    getCatalogue: () => buildCatalogue(models()),
    searchPatients: (r) => session.require().store.patients.search(r.query),
    createPatient: (r) => createPatient(session.require(), r),
    getPatient: (r) => getPatient(session.require(), r.patientId),
    listCases: (r) => listCases(session.require(), r.patientId),
    getCase: (r) => getCase(session.require(), r.caseId),
    runDiagnosis: ({ patientId, ...input }) => previewDiagnosis(session.require(), models(), input, patientId),
    saveCase: (r) => saveCase(session.require(), models(), r.patientId, r.case),
    attachImage: (r) => attachImage(session.require(), r.caseId, r.fileName, Buffer.from(r.dataBase64, 'base64')),
    getImageFrame: (r) => getImageFrame(session.require(), r.imageId, r.frame),
    runImageModel: (r) => runImageModel(session.require(), r.imageId, r.modelId),
    analyseNote: (r) => analyseNote(session.require(), r.text, r.offset),
  };
}
