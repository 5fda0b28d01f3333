import { describe, expect, it } from 'vitest';
import i18next from 'i18next';
import en from './i18n/en.json';
import zhCN from './i18n/zh-CN.json';
import type { KeyRotationStatus } from '../../electron/contract/ipcContract';
import { keyRotationText, nextKeyRotationStep } from './keyRotationView';

async function translator(lng: string) {
  const i = i18next.createInstance();
  await i.init({ lng, resources: { en: { translation: en }, 'zh-CN': { translation: zhCN } }, interpolation: { escapeValue: false } });
  return i.t.bind(i);
}

describe('key rotation progress on the Users screen', () => {
  it('says the step and stage while running, then done (naming dropped accounts) or failed with the reason and the retry', async () => {
    const t = await translator('en');
    expect(keyRotationText(t, { state: 'running', stage: 'rekeying', step: 4, steps: 7 }, 'chen')).toBe(
      "Changing the database key so that chen's old key no longer opens it: step 4 of 7, re-encrypting the copy. Other work waits until it is done.",
    );
    expect(keyRotationText(t, { state: 'done', at: '2026-01-01T00:00:00Z', droppedLogins: [] }, 'chen')).toMatch(
      /^The database key was changed: chen's old key/,
    );
    expect(keyRotationText(t, { state: 'done', at: '2026-01-01T00:00:00Z', droppedLogins: ['old.admin', 'recovery'] }, 'chen')).toMatch(
      /: old\.admin, recovery\.$/,
    );
    expect(keyRotationText(t, { state: 'failed', at: '2026-01-01T00:00:00Z', message: 'disk full' }, 'chen')).toBe(
      'Changing the database key failed: disk full. The account is disabled; the key change will be retried at the next sign-in.',
    );
    expect(keyRotationText(t, { state: 'idle' }, 'chen')).toBeNull();
  });

  it('has every stage in Chinese', async () => {
    const t = await translator('zh-CN');
    for (const stage of ['started', 'keyring-prepared', 'copying', 'rekeying', 'renaming', 'database-rekeyed', 'keyring-installed'] as const) {
      const text = keyRotationText(t, { state: 'running', stage, step: 1, steps: 7 }, 'chen')!;
      expect(text).toContain('第 1 步，共 7 步');
      expect(text).not.toContain('users.rotation');
    }
  });

  it('keeps polling through DATABASE_IN_USE (the rotation itself, not an error for the admin) and stops on the final state or another error', () => {
    expect(nextKeyRotationStep({ ok: false, error: { code: 'DATABASE_IN_USE', message: 'key is being changed' } })).toEqual({ kind: 'poll', status: null });
    const running: KeyRotationStatus = { state: 'running', stage: 'copying', step: 3, steps: 7 };
    expect(nextKeyRotationStep({ ok: true, value: running })).toEqual({ kind: 'poll', status: running });
    const done: KeyRotationStatus = { state: 'done', at: 'x', droppedLogins: [] };
    expect(nextKeyRotationStep({ ok: true, value: done })).toEqual({ kind: 'settled', status: done });
    expect(nextKeyRotationStep({ ok: false, error: { code: 'LOCKED', message: 'locked' } })).toMatchObject({ kind: 'error', error: { code: 'LOCKED' } });
  });
});
