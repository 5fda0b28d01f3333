/**
 * One handler per contract method. Requests arrive already validated by the contract's schema
 * (see dispatch.ts); handlers only decide what the app does.
 */
import { methodNames } from '../contract/ipcContract';
import type { MethodName, ParsedRequestOf, ResponseOf } from '../contract/ipcContract';
import type { LanternSession } from './accountability/lanternSession';
import type { ClinicalModels } from './diagnosis/diagnosisService';
import { buildCatalogue } from './cases/catalogueService';
import { attachImage, getImageFrame, removeImage, runImageModel } from './imaging/imagingService';
import { analyseNote } from './notes/noteService';
import { NoteAnalysisRunner } from './notes/noteAnalysisRunner';
import { exportCase } from './reports/caseExportService';
import { createPatient, getCase, getPatient, listCases, previewDiagnosis, saveCase } from './cases/caseService';
import { runInterview, saveInterview } from './diagnosis/interviewService';
import { recordDecision, recordFinalDiagnosis } from './diagnosis/decisionService';
import { agreementStats, getSuggestionAudit, listAuditEvents, recordBreak, rerunSuggestion, searchAudit } from './accountability/auditService';
import { verifyAuditTrail } from './accountability/auditTrailVerification';
import { addUser, disableUser, listUsers, resetUserPassphrase } from './accountability/userService';
import { authorise } from './methodAccess';
import { BackupScheduler, defaultBackupSchedule, listBackupSummaries, restoreFromBackup } from './backup/backupService';
import { exportSurveillance, surveillanceAlerts, surveillanceReport } from './surveillance/surveillanceService';
import { conditionDisplayNamesIfReadable } from './diagnosis/diagnosisService';
import { updatePatientLists } from './cases/patientListsService';
import { verifyBackupFolder } from './backup/backupVerification';
import { addImageMeasurement, listImageMeasurements, removeImageMeasurement } from './imaging/imageMeasurementService';

export type MethodHandlers = {
  [M in MethodName]: (request: ParsedRequestOf<M>) => Promise<ResponseOf<M>> | ResponseOf<M>;
};

export interface HandlerDeps {
  session: LanternSession;
  /** Loaded on first use, so a tampered model file is reported when a model is needed, not as a failed start. */
  models: () => ClinicalModels;
  /** Scheduled backups and their folder; by default daily into `<data dir>/backups`. */
  backups?: BackupScheduler;
  /** Note analysis off the main thread, with a time budget per request. */
  notes?: NoteAnalysisRunner;
}

export function createMethodHandlers({
  session,
  models,
  backups = new BackupScheduler(session, defaultBackupSchedule(session.dbPath)),
  notes = new NoteAnalysisRunner(),
}: HandlerDeps): MethodHandlers {
  const handlers: MethodHandlers = {
    sessionStatus: () => session.status(),
    setup: (r) => session.setup(r.displayName, r.passphrase, r.login),
    unlock: (r) => session.unlock(r.passphrase, r.login),
    recoverWithKey: (r) => session.recoverWithKey(r.recoveryKey, r.login, r.newPassphrase),
    changePassphrase: (r) => session.changePassphrase(r.currentPassphrase, r.newPassphrase),
    rememberStatus: () => session.rememberStatus(),
    rememberOnThisComputer: () => session.rememberOnThisComputer(),
    forgetOnThisComputer: () => session.forgetOnThisComputer(),
    unlockRemembered: (r) => session.unlockRemembered(r.login),
    lock: () => session.lock(),
    listUsers: () => listUsers(session.require()),
    addUser: (r) => addUser(session.requireUnlocked(), r),
    disableUser: (r) => {
      const account = disableUser(session.requireUnlocked(), r.userId);
      // Revocation that holds against copies of the keyring: the key rotation starts now (the store is
      // closed before this returns) and runs in a worker thread; keyRotationStatus shows its progress,
      // other calls meanwhile answer a retryable DATABASE_IN_USE. A failed rotation is audited and
      // retried at the next sign-in. The promise settles with the outcome and never rejects.
      void session.rotateMasterKey();
      return account;
    },
    keyRotationStatus: () => session.keyRotationStatus(),
    resetUserPassphrase: (r) => resetUserPassphrase(session.requireUnlocked(), r.userId, r.passphrase),
    recordDecision: (r) => recordDecision(session.require(), r),
    recordFinalDiagnosis: (r) => recordFinalDiagnosis(session.require(), r),
    searchAudit: (r) => searchAudit(session.require(), r),
    getSuggestionAudit: (r) => getSuggestionAudit(session.require(), r.suggestionId),
    rerunSuggestion: (r) => rerunSuggestion(session.require(), models, r.suggestionId),
    agreementStats: (r) => agreementStats(session.require(), r),
    verifyAuditChain: () => recordBreak(session.requireUnlocked(), verifyAuditTrail(session.requireUnlocked(), { backupDir: backups.schedule.dir })),
    listAuditEvents: (r) => listAuditEvents(session.require(), r),
    getCatalogue: () => buildCatalogue(models()),
    searchPatients: (r) => session.require().store.patients.search(r.query),
    createPatient: (r) => createPatient(session.require(), r),
    getPatient: (r) => getPatient(session.require(), r.patientId),
    updatePatientLists: (r) => updatePatientLists(session.require(), r),
    listCases: (r) => listCases(session.require(), r.patientId, conditionDisplayNamesIfReadable(models)),
    getCase: (r) => getCase(session.require(), r.caseId),
    runDiagnosis: ({ patientId, ...input }) => previewDiagnosis(session.require(), models(), input, patientId),
    runInterview: (r) => runInterview(session.require(), models(), r),
    saveInterview: (r) => saveInterview(session.require(), models(), r),
    saveCase: (r) => saveCase(session.require(), models(), r.patientId, r.case),
    removeImage: (r) => removeImage(session.require(), r.imageId, r.reason),
    attachImage: (r) =>
      attachImage(session.require(), r.caseId, r.fileName, Buffer.from(r.dataBase64, 'base64'), new Date(), r.confirmPatientMismatch === true),
    getImageFrame: (r) => getImageFrame(session.require(), r.imageId, r.frame),
    addImageMeasurement: (r) => addImageMeasurement(session.require(), r),
    listImageMeasurements: (r) => listImageMeasurements(session.require(), r.imageId),
    removeImageMeasurement: (r) => removeImageMeasurement(session.require(), r.measurementId),
    runImageModel: (r) => runImageModel(session.require(), r.imageId, r.modelId),
    analyseNote: (r) => analyseNote(session.require(), notes, r.text, r.offset),
    exportCase: (r) => exportCase(session.require(), models(), r.caseId, r.format, new Date(), r.language ?? 'en'),
    createBackup: (r) => backups.createNow(session.requireUnlocked(), r.targetDir),
    listBackups: () => ({
      dir: backups.schedule.dir,
      backups: listBackupSummaries(backups.schedule.dir),
      schedule: { everyMs: backups.schedule.everyMs, keep: backups.schedule.keep },
      lastError: backups.lastError,
    }),
    verifyBackup: (r) => verifyBackupFolder(session.requireUnlocked(), r.backupPath, r.passphrase),
    restoreBackup: async (r) => {
      const status = session.status();
      const restored = await restoreFromBackup(session.dbPath, r, {
        signedIn: status.state === 'unlocked' ? status.user : null,
        lockHeld: true,
        // Restoring replaces the open database: sign out once every check has passed, so nothing writes to the old one.
        beforeSwap: () => session.lock(),
      });
      return {
        previous: restored.previous,
        createdAt: restored.createdAt,
        schemaVersion: restored.schemaVersion,
        auditHead: restored.auditHead,
        status: session.status(),
      };
    },
    surveillanceReport: (r) => surveillanceReport(session.require(), r),
    surveillanceAlerts: (r) => surveillanceAlerts(session.require(), r),
    exportSurveillance: (r) => exportSurveillance(session.require(), r),
  };
  // Every handler is behind its role check (methodAccess.ts), whichever transport calls it.
  const guarded = {} as Record<MethodName, (request: never) => unknown>;
  for (const method of methodNames) {
    const handler = handlers[method] as (request: never) => unknown;
    guarded[method] = (request) => {
      authorise(session, method);
      return handler(request);
    };
  }
  return guarded as MethodHandlers;
}
