import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorPayload, KeyRotationStatus, Role, UserAccount } from '../../../electron/contract/ipcContract';
import { api } from '../api/lanternClient';
import { Dialog } from '../components/Dialog';
import { ErrorAlert } from '../components/ErrorAlert';
import { FormActions } from '../components/FormActions';
import { LoginField } from '../components/LoginField';
import { NewPassphraseFields } from '../components/NewPassphraseFields';
import { useFocusOnMount } from '../focus';
import { useLocaleFormat } from '../i18n/useLocaleFormat';
import { clearReady, useScreenReady } from '../readiness';
import { useSessionUser } from '../roles';
import { useIpcQuery } from '../useIpcQuery';
import { keyRotationPollMs, keyRotationText, nextKeyRotationStep } from '../keyRotationView';
import { useNewPassphraseForm } from '../useNewPassphraseForm';
import '../styles/accountability.css';

/** Mirrors the contract's LoginSchema, so a typo is named before the round trip. */
const LOGIN_PATTERN = /^[a-z0-9][a-z0-9._-]{0,39}$/;

/** The contract's roles (types only may cross into the renderer; the compiler checks the list). */
const roleTable = { clinician: true, auditor: true, admin: true } as const satisfies Record<Role, true>;
const roles = Object.keys(roleTable) as Role[];

const listUsers = () => api.listUsers({});

function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}

/** Administrators: the accounts of this workstation, each with its own passphrase. */
export function UsersScreen() {
  const { t } = useTranslation();
  const fmt = useLocaleFormat();
  const ids = useId();
  const me = useSessionUser();
  const headingRef = useFocusOnMount<HTMLHeadingElement>();
  const { value: listed, error: loadError, update, reload } = useIpcQuery(listUsers);
  // A list that could not be read shows as empty beside its error (the screen is still usable).
  const users = listed ?? (loadError ? [] : null);
  const [rowError, setRowError] = useState<ErrorPayload | null>(null);
  const [busyRow, setBusyRow] = useState<string | null>(null);
  const [resetting, setResetting] = useState<UserAccount | null>(null);
  const [announcement, setAnnouncement] = useState('');
  // The key rotation a Disable started: whose account, and its latest status (polled until it ends).
  const [rotation, setRotation] = useState<{ login: string; status: KeyRotationStatus | null; watching: boolean } | null>(null);
  const watching = rotation?.watching === true;

  useScreenReady('users', users !== null && busyRow === null);

  // While the rotation runs the database is closed: only its status is asked for, so no refused
  // call reaches the admin as an error; the list is read again once it ends.
  useEffect(() => {
    if (!watching) return;
    let live = true;
    let timer: number | undefined;
    const poll = async () => {
      const next = nextKeyRotationStep(await api.keyRotationStatus({}));
      if (!live) return;
      if (next.kind === 'poll') {
        if (next.status) setRotation((r) => r && { ...r, status: next.status! });
        timer = window.setTimeout(() => void poll(), keyRotationPollMs);
        return;
      }
      if (next.kind === 'error') {
        setRowError(next.error);
        setRotation((r) => r && { ...r, watching: false });
      } else {
        setRotation((r) => r && { ...r, status: next.status, watching: false });
      }
      setBusyRow(null);
      reload();
    };
    void poll();
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
  }, [watching, reload]);

  /** Replaces one account in the list with the app's answer. */
  function updated(account: UserAccount) {
    update((list) => list.map((u) => (u.id === account.id ? account : u)));
  }

  async function disable(u: UserAccount) {
    clearReady();
    setRowError(null);
    setBusyRow(u.id);
    const result = await api.disableUser({ userId: u.id });
    if (result.ok) {
      updated(result.value);
      setAnnouncement(t('users.disabledDone', { login: u.login }));
      // The row stays busy until the key rotation the disable started has ended.
      setRotation({ login: u.login, status: null, watching: true });
    } else {
      setBusyRow(null);
      setRowError(result.error);
    }
  }

  return (
    <section className="screen" data-screen="users" aria-labelledby={`${ids}-h`}>
      <h1 id={`${ids}-h`} ref={headingRef} tabIndex={-1}>
        {t('users.heading')}
      </h1>
      <p className="intro">{t('users.intro')}</p>
      <div className="columns users-columns">
        <div className="card">
          <h2 id={`${ids}-list`}>{t('users.listHeading')}</h2>
          <ErrorAlert error={loadError} />
          <ErrorAlert error={rowError} />
          <p className="hint" role="status">
            {announcement}
          </p>
          {rotation ? (
            <p className="hint" role="status" data-key-rotation={rotation.status?.state ?? 'running'} aria-busy={watching}>
              {rotation.status ? keyRotationText(t, rotation.status, rotation.login) : t('users.rotation.starting', { login: rotation.login })}
            </p>
          ) : null}
          {users && users.length > 0 ? (
            <table className="data-table users-table" aria-labelledby={`${ids}-list`}>
              <thead>
                <tr>
                  <th scope="col">{t('users.login')}</th>
                  <th scope="col">{t('users.name')}</th>
                  <th scope="col">{t('users.role')}</th>
                  <th scope="col">{t('users.status')}</th>
                  <th scope="col">{t('users.created')}</th>
                  <th scope="col">{t('users.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {users.map((u) => (
                  <tr key={u.id} data-login={u.login} data-disabled={u.disabled ? 'true' : undefined}>
                    <th scope="row">{u.login}</th>
                    <td>{u.displayName}</td>
                    <td>{t(`role.${u.role}`)}</td>
                    <td>
                      {u.disabled ? (
                        <span className="badge badge-warn">{t('users.disabled')}</span>
                      ) : (
                        <span className="badge badge-ok">{t('users.active')}</span>
                      )}
                    </td>
                    <td>{fmt.dateTime(u.createdAt)}</td>
                    <td className="row-actions">
                      {!u.disabled && u.id !== me?.id ? (
                        <button
                          type="button"
                          className="secondary small"
                          disabled={busyRow !== null}
                          aria-label={t('users.disableLabel', { login: u.login })}
                          onClick={() => void disable(u)}
                        >
                          {t('users.disable')}
                        </button>
                      ) : null}
                      <button
                        type="button"
                        className="secondary small"
                        disabled={busyRow !== null}
                        aria-label={t('users.resetLabel', { login: u.login })}
                        onClick={() => setResetting(u)}
                      >
                        {t('users.reset')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : null}
        </div>
        <AddUserForm
          onAdded={(account) => {
            update((list) => [...list, account]);
            setAnnouncement(t('users.added', { login: account.login }));
          }}
        />
      </div>
      {resetting ? (
        <ResetPassphraseDialog
          user={resetting}
          onClose={() => setResetting(null)}
          onDone={(account) => {
            updated(account);
            setResetting(null);
            setAnnouncement(t('users.resetDone', { login: account.login }));
          }}
        />
      ) : null}
    </section>
  );
}

function AddUserForm({ onAdded }: { onAdded: (account: UserAccount) => void }) {
  const { t } = useTranslation();
  const ids = useId();
  const [displayName, setDisplayName] = useState('');
  const [login, setLogin] = useState('');
  const [role, setRole] = useState('');
  const form = useNewPassphraseForm();
  const { busy, error } = form;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const trimmedLogin = login.trim().toLowerCase();
    if (!displayName.trim()) return form.fail(t('users.nameRequired'));
    if (!LOGIN_PATTERN.test(trimmedLogin)) return form.fail(t('users.loginInvalid'));
    if (!isRole(role)) return form.fail(t('users.roleRequired'));
    if (!form.begin()) return;
    const account = form.finish(await api.addUser({ displayName: displayName.trim(), login: trimmedLogin, role, passphrase: form.passphrase }));
    if (!account) return;
    onAdded(account);
    setDisplayName('');
    setLogin('');
    setRole('');
    form.clear();
  }

  return (
    <form className="card form" onSubmit={submit} noValidate aria-labelledby={`${ids}-h`} aria-busy={busy}>
      <h2 id={`${ids}-h`}>{t('users.addHeading')}</h2>
      <div className="field">
        <label htmlFor={`${ids}-name`}>{t('users.name')}</label>
        <input id={`${ids}-name`} autoComplete="off" value={displayName} maxLength={200} onChange={(e) => setDisplayName(e.target.value)} />
      </div>
      <LoginField
        label={t('users.login')}
        autoComplete="off"
        value={login}
        onChange={setLogin}
        hint={t('users.loginHint')}
        invalid={error?.field === 'login'}
      />
      <div className="field">
        <label htmlFor={`${ids}-role`}>{t('users.role')}</label>
        <select id={`${ids}-role`} value={role} onChange={(e) => setRole(e.target.value)}>
          <option value="" disabled>
            {t('users.rolePlaceholder')}
          </option>
          {roles.map((r) => (
            <option key={r} value={r}>
              {t(`role.${r}`)}
            </option>
          ))}
        </select>
      </div>
      <NewPassphraseFields {...form.fields} label={t('users.initialPassphrase')} repeatLabel={t('users.repeatInitialPassphrase')} />
      <ErrorAlert message={form.localError} />
      <ErrorAlert error={error} />
      <FormActions submitLabel={t('users.add')} busy={busy} status={busy ? t('common.saving') : null} />
    </form>
  );
}

function ResetPassphraseDialog({ user, onClose, onDone }: { user: UserAccount; onClose: () => void; onDone: (account: UserAccount) => void }) {
  const { t } = useTranslation();
  const form = useNewPassphraseForm();
  const { busy } = form;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!form.begin()) return;
    const account = form.finish(await api.resetUserPassphrase({ userId: user.id, passphrase: form.passphrase }));
    if (account) onDone(account);
  }

  return (
    <Dialog title={t('users.resetHeading', { login: user.login })} onClose={onClose}>
      <form className="form" onSubmit={submit} noValidate aria-busy={busy}>
        <p className="hint">{user.disabled ? t('users.resetReenables') : t('users.resetHint')}</p>
        <NewPassphraseFields {...form.fields} label={t('passphrase.new')} repeatLabel={t('passphrase.repeatNew')} />
        <ErrorAlert message={form.localError} />
        <ErrorAlert error={form.error} />
        <FormActions
          submitLabel={t('users.resetSubmit')}
          busy={busy}
          secondary={{ label: t('common.cancel'), onClick: onClose, whileBusy: true }}
          status={busy ? t('common.saving') : null}
        />
      </form>
    </Dialog>
  );
}
