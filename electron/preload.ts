/**
 * The only bridge into the renderer: `window.lantern`, one method per contract entry, nothing else
 * (no ipcRenderer, no generic invoke). Sandboxed preloads can require only 'electron', so the
 * contract is imported for its types alone.
 */
import { contextBridge, ipcRenderer } from 'electron';
import type { LanternApi, MethodName, RequestOf } from './contract/ipcContract';

const call =
  <M extends MethodName>(method: M) =>
  (request: RequestOf<M>) =>
    ipcRenderer.invoke(`lantern:${method}`, request);

const api = {
  sessionStatus: call('sessionStatus'),
  setup: call('setup'),
  unlock: call('unlock'),
  lock: call('lock'),
  getCatalogue: call('getCatalogue'),
  searchPatients: call('searchPatients'),
  createPatient: call('createPatient'),
  getPatient: call('getPatient'),
  updatePatientLists: call('updatePatientLists'),
  listCases: call('listCases'),
  getCase: call('getCase'),
  runDiagnosis: call('runDiagnosis'),
  runInterview: call('runInterview'),
  saveCase: call('saveCase'),
  attachImage: call('attachImage'),
  removeImage: call('removeImage'),
  getImageFrame: call('getImageFrame'),
  addImageMeasurement: call('addImageMeasurement'),
  listImageMeasurements: call('listImageMeasurements'),
  removeImageMeasurement: call('removeImageMeasurement'),
  runImageModel: call('runImageModel'),
  analyseNote: call('analyseNote'),
  exportCase: call('exportCase'),
  createBackup: call('createBackup'),
  listBackups: call('listBackups'),
  restoreBackup: call('restoreBackup'),
  verifyBackup: call('verifyBackup'),
  surveillanceReport: call('surveillanceReport'),
  surveillanceAlerts: call('surveillanceAlerts'),
  exportSurveillance: call('exportSurveillance'),
  recoverWithKey: call('recoverWithKey'),
  rememberStatus: call('rememberStatus'),
  rememberOnThisComputer: call('rememberOnThisComputer'),
  forgetOnThisComputer: call('forgetOnThisComputer'),
  unlockRemembered: call('unlockRemembered'),
  changePassphrase: call('changePassphrase'),
  listUsers: call('listUsers'),
  addUser: call('addUser'),
  disableUser: call('disableUser'),
  resetUserPassphrase: call('resetUserPassphrase'),
  recordDecision: call('recordDecision'),
  recordFinalDiagnosis: call('recordFinalDiagnosis'),
  searchAudit: call('searchAudit'),
  getSuggestionAudit: call('getSuggestionAudit'),
  rerunSuggestion: call('rerunSuggestion'),
  agreementStats: call('agreementStats'),
  verifyAuditChain: call('verifyAuditChain'),
  listAuditEvents: call('listAuditEvents'),
} satisfies LanternApi;

contextBridge.exposeInMainWorld('lantern', api);
