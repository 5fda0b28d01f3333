/**
 * keyRotationStatus is polled by the Users screen while a rotation runs: it must not count as
 * activity, or an unattended screen polling it would never reach the idle lock.
 */
import { describe, expect, it } from 'vitest';
import { appPerTest, dispatchTestClient } from '../testing/dispatchTestClient';

let clock = Date.parse('2026-03-01T09:00:00Z');
const minutes = (n: number) => (clock += n * 60_000);

const t = appPerTest(() => ({ idleLockMs: 10 * 60_000, now: () => new Date(clock) }));
const { ok, fails } = dispatchTestClient(() => t.app);

describe('keyRotationStatus and the idle lock', () => {
  it('answers without counting as activity: polling it does not keep an idle session signed in', async () => {
    await ok('setup', { displayName: 'Ama Osei', login: 'ama', passphrase: 'admin passphrase' });
    minutes(6);
    expect(await ok('keyRotationStatus')).toEqual({ state: 'idle' });
    minutes(5);
    // 11 minutes since the last real call: locked, although the status was asked 5 minutes ago.
    expect(await fails('keyRotationStatus')).toMatchObject({ code: 'LOCKED' });
    expect(await ok('sessionStatus')).toEqual({ state: 'locked' });
  });
});
