import { describe, expect, it } from 'vitest';
import { showsAppMessage } from './errorDetail';

describe('showsAppMessage', () => {
  it('hides the app message only where the translated title says everything', () => {
    for (const code of ['WRONG_PASSPHRASE', 'LOCKED', 'NOT_INITIALISED', 'ALREADY_INITIALISED'] as const) expect(showsAppMessage(code)).toBe(false);
    for (const code of ['PATIENT_MISMATCH', 'MODEL_INTEGRITY', 'VALIDATION_FAILED', 'INTERNAL'] as const) expect(showsAppMessage(code)).toBe(true);
  });
});
