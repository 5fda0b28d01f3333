import { describe, expect, it } from 'vitest';
import { formatBytes, schedulePeriod, shortHash } from './backupView';
import { failedModelFile, isRecoveryCode, recoveryPlan } from './recovery';

describe('recovery', () => {
  it('sends only unopenable data and failed model files to the recovery screen', () => {
    for (const code of ['DATABASE_CORRUPT', 'KEYRING_MISSING', 'DATABASE_TOO_NEW', 'MIGRATION_FAILED', 'MODEL_INTEGRITY'] as const) {
      expect(isRecoveryCode(code)).toBe(true);
    }
    // A full disk is reported where the save failed, not as a recovery screen.
    for (const code of ['STORAGE_FAILED', 'WRONG_PASSPHRASE', 'LOCKED', 'BACKUP_CORRUPT', 'INTERNAL'] as const) {
      expect(isRecoveryCode(code)).toBe(false);
    }
  });

  it('offers a restore for damaged data, only on request for a newer database, never for a model file', () => {
    expect(recoveryPlan('DATABASE_CORRUPT')).toEqual({ restore: 'offered', canContinue: false });
    expect(recoveryPlan('KEYRING_MISSING').restore).toBe('offered');
    expect(recoveryPlan('MIGRATION_FAILED').restore).toBe('offered');
    expect(recoveryPlan('DATABASE_TOO_NEW')).toEqual({ restore: 'on-request', canContinue: false });
    expect(recoveryPlan('MODEL_INTEGRITY')).toEqual({ restore: 'no', canContinue: true });
  });

  it('names the model file that failed from the error’s pointers, never from its text', () => {
    const message =
      'model "symptom-differential": /opt/lantern/models/artefacts/symptom-differential/forest.json failed its integrity check (expected ab, got cd)';
    expect(failedModelFile({ code: 'MODEL_INTEGRITY', message, modelId: 'symptom-differential', file: 'forest.json' })).toEqual({
      modelId: 'symptom-differential',
      file: 'forest.json',
    });
    expect(failedModelFile({ code: 'MODEL_INTEGRITY', message: 'unknown model "heart" (known: none)', modelId: 'heart' })).toEqual({
      modelId: 'heart',
      file: null,
    });
    // A message shaped like an integrity failure, without the pointers, names nothing.
    expect(failedModelFile({ code: 'MODEL_INTEGRITY', message })).toBeNull();
  });
});

describe('backup view', () => {
  it('formats sizes in the largest fitting unit', () => {
    expect(formatBytes(512, 'en')).toBe('512 byte');
    expect(formatBytes(1536, 'en')).toBe('1.5 kB');
    expect(formatBytes(5 * 1024 * 1024, 'en')).toBe('5 MB');
  });

  it('shortens hashes and names the schedule period', () => {
    expect(shortHash('0123456789abcdef0123')).toBe('0123456789ab…');
    expect(shortHash('abc')).toBe('abc');
    expect(schedulePeriod(24 * 3600_000)).toEqual({ unit: 'day', count: 1 });
    expect(schedulePeriod(6 * 3600_000)).toEqual({ unit: 'hour', count: 6 });
    expect(schedulePeriod(90_000)).toEqual({ unit: 'minute', count: 2 });
  });
});
