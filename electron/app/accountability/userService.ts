/**
 * Accounts on a shared workstation. Each user's passphrase wraps the same master key in their own
 * key slot, so adding a user, resetting a passphrase or disabling an account changes one slot and
 * never re-encrypts the database. Every change is an audit event.
 */
import { randomUUID } from 'node:crypto';
import type { Role, UserAccount } from '../../contract/ipcContract';
import { putSlot, removeSlot, wrapUserSlot } from '../../../db/keyring';
import { createSigningKey, signingKeyAction, signingPublicKey } from '../../../db/auditSigning';
import { recordNotFound } from '../../../db/dbErrors';
import type { UserRecord } from '../../../db/repositories/userRepository';
import type { UnlockedContext } from './lanternSession';
import { LanternError } from '../serviceErrors';
import { forgetKey } from './rememberedKeys';

const toAccount = (u: UserRecord): UserAccount => ({
  id: u.id,
  displayName: u.displayName,
  role: u.role,
  login: u.login,
  disabled: u.disabled,
  createdAt: u.createdAt,
});

export function listUsers({ store }: Pick<UnlockedContext, 'store'>): UserAccount[] {
  return store.users.list().map(toAccount);
}

export async function addUser(
  ctx: UnlockedContext,
  input: { displayName: string; login: string; role: Role; passphrase: string },
  now = new Date(),
): Promise<UserAccount> {
  const { store, user } = ctx;
  if (store.users.byLogin(input.login)) throw new LanternError('VALIDATION_FAILED', `The login "${input.login}" is taken.`, { field: 'login' });
  const record: UserRecord = {
    id: randomUUID(),
    displayName: input.displayName,
    login: input.login,
    role: input.role,
    disabled: false,
    createdAt: now.toISOString(),
  };
  const signingKey = createSigningKey();
  const slot = await wrapUserSlot(ctx.masterKey, record.id, input.passphrase, ctx.kdf, record.login, signingKey);
  store.transaction(() => {
    store.users.insert(record);
    store.audit.append({ at: record.createdAt, userId: user.id, action: 'user.create', detail: { userId: record.id, login: record.login, role: record.role } });
    // The new user's public key enters the chain signed by the admin who made it (see auditSigning.ts).
    store.audit.append({
      at: record.createdAt,
      userId: user.id,
      action: signingKeyAction,
      detail: { userId: record.id, publicKey: signingPublicKey(signingKey), reason: 'account created' },
    });
    // The slot is written inside the transaction: if it fails, the user row is rolled back with it.
    putSlot(ctx.keyringPath, slot);
  });
  return toAccount(record);
}

function requireUser(ctx: UnlockedContext, userId: string): UserRecord {
  const record = ctx.store.users.get(userId);
  if (!record) throw recordNotFound('user', userId);
  return record;
}

export function disableUser(ctx: UnlockedContext, userId: string, now = new Date()): UserAccount {
  const { store, user } = ctx;
  const record = requireUser(ctx, userId);
  if (record.id === user.id) throw new LanternError('VALIDATION_FAILED', 'You cannot disable your own account.', { field: 'userId' });
  if (record.role === 'admin' && store.users.list().filter((u) => u.role === 'admin' && !u.disabled).length <= 1) {
    throw new LanternError('VALIDATION_FAILED', 'The last active administrator cannot be disabled.', { field: 'userId' });
  }
  store.transaction(() => {
    store.users.setDisabled(record.id, true);
    store.audit.append({ at: now.toISOString(), userId: user.id, action: 'user.disable', detail: { userId: record.id, login: record.login } });
    removeSlot(ctx.keyringPath, record.id);
  });
  // A key remembered by this computer's keychain for that account is dropped too.
  forgetKey(ctx.dbPath, record.login);
  return toAccount({ ...record, disabled: true });
}

export async function resetUserPassphrase(ctx: UnlockedContext, userId: string, passphrase: string, now = new Date()): Promise<UserAccount> {
  const { store, user } = ctx;
  const record = requireUser(ctx, userId);
  // The old signing key was wrapped by the forgotten passphrase: the user gets a new one, recorded by the admin.
  const signingKey = createSigningKey();
  const slot = await wrapUserSlot(ctx.masterKey, record.id, passphrase, ctx.kdf, record.login, signingKey);
  store.transaction(() => {
    if (record.disabled) store.users.setDisabled(record.id, false);
    store.audit.append({
      at: now.toISOString(),
      userId: user.id,
      action: 'user.reset-passphrase',
      detail: { userId: record.id, login: record.login, reenabled: record.disabled },
    });
    store.audit.append({
      at: now.toISOString(),
      userId: user.id,
      action: signingKeyAction,
      detail: { userId: record.id, publicKey: signingPublicKey(signingKey), reason: 'passphrase reset by an administrator' },
    });
    putSlot(ctx.keyringPath, slot);
  });
  return toAccount({ ...record, disabled: false });
}
