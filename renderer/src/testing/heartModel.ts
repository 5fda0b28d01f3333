import type { RiskModelDefinition } from '../../../electron/contract/ipcContract';

/** Test support: the heart-disease risk model as the catalogue describes it, with the inputs a test needs. */
export const heartModel = (inputs: RiskModelDefinition['inputs']): RiskModelDefinition => ({
  id: 'heart-disease',
  version: '1.0.0',
  title: null,
  positiveLabel: 'disease',
  labels: ['no-disease', 'disease'],
  minInputs: 4,
  inputs,
});
