import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorPayload, SessionStatus } from '../../electron/contract/ipcContract';
import { api, LOCKED_EVENT } from './api/lanternClient';
import type { LockedEvent } from './api/lanternClient';
import { AppHeader } from './components/AppHeader';
import { AuditChainBanner } from './components/AuditChainBanner';
import { ChangePassphraseDialog } from './components/ChangePassphraseDialog';
import { ErrorAlert } from './components/ErrorAlert';
import type { Route } from './navigation';
import { homeRoute, SessionUserContext } from './roles';
import { AuditScreen } from './screens/AuditScreen';
import { SurveillanceScreen } from './screens/SurveillanceScreen';
import { CaseDetailScreen } from './screens/CaseDetailScreen';
import { CaseNewScreen } from './screens/CaseNewScreen';
import { PatientScreen } from './screens/PatientScreen';
import { PatientsScreen } from './screens/PatientsScreen';
import { SetupScreen } from './screens/SetupScreen';
import { UnlockScreen } from './screens/UnlockScreen';
import { UsersScreen } from './screens/UsersScreen';
import { BackupsScreen } from './screens/BackupsScreen';
import { RecoveryScreen } from './screens/RecoveryScreen';
import { ModelIntegrityBanner } from './components/ModelIntegrityBanner';
import { EvaluationBuildBanner } from './components/EvaluationBuildBanner';
import { useRecoveryState } from './useRecoveryState';

type Session = { kind: 'loading' } | { kind: 'failed'; error: ErrorPayload } | { kind: 'known'; status: SessionStatus };

/**
 * The top-level state machine: the session state from the app decides between setup, unlock and
 * the unlocked screens; within those, an in-memory route picks the screen.
 */
export function App() {
  const { t } = useTranslation();
  const [session, setSession] = useState<Session>({ kind: 'loading' });
  const [route, setRoute] = useState<Route>({ screen: 'patients' });
  const [locking, setLocking] = useState(false);
  /** Why the app locked itself (idle timeout…), shown on the unlock screen; null after a deliberate lock. */
  const [lockReason, setLockReason] = useState<ErrorPayload | null>(null);
  /** The login to prefill after "Lock" (empty after "Switch user"). */
  const [lastLogin, setLastLogin] = useState('');
  /** Counts sign-ins, so per-sign-in checks (the audit chain banner) run again for each. */
  const [signIns, setSignIns] = useState(0);
  const [changingPassphrase, setChangingPassphrase] = useState(false);
  /** A damaged or newer database, a failed upgrade or model file: its recovery screen replaces the rest. */
  const recovery = useRecoveryState();

  const refresh = useCallback(
    () =>
      api.sessionStatus({}).then((result) => {
        setSession(result.ok ? { kind: 'known', status: result.value } : { kind: 'failed', error: result.error });
      }),
    [],
  );

  useEffect(() => {
    void refresh();
    // Any call answered LOCKED means the app locked itself (e.g. idle timeout): re-read the state.
    const onLocked = (e: Event) => {
      setLockReason((e as LockedEvent).detail ?? null);
      setChangingPassphrase(false);
      void refresh();
    };
    window.addEventListener(LOCKED_EVENT, onLocked);
    return () => window.removeEventListener(LOCKED_EVENT, onLocked);
  }, [refresh]);

  const onSession = useCallback((status: SessionStatus, login?: string | null) => {
    if (status.state === 'unlocked') {
      // Each sign-in starts at the role's home screen, never where the previous user left off.
      setRoute(homeRoute(status.user.role));
      setLockReason(null);
      setSignIns((n) => n + 1);
      if (login) setLastLogin(login);
    }
    setSession({ kind: 'known', status });
  }, []);

  async function lock(switchUser = false) {
    setLocking(true);
    const result = await api.lock({});
    setLocking(false);
    setLockReason(null);
    setChangingPassphrase(false);
    if (switchUser) setLastLogin('');
    if (result.ok) onSession(result.value);
    else void refresh();
  }

  const status = session.kind === 'known' ? session.status : null;
  const user = status?.state === 'unlocked' ? status.user : null;

  function screen() {
    if (recovery.shown) {
      return (
        <RecoveryScreen
          key={recovery.shown.code}
          error={recovery.shown}
          signedIn={user !== null}
          onRetry={() => {
            recovery.clear();
            void refresh();
          }}
          onRestored={(restored) => {
            recovery.clear();
            onSession(restored);
          }}
          onContinue={recovery.continueWithoutModels}
        />
      );
    }
    if (session.kind === 'loading') return <p className="muted">{t('app.loading')}</p>;
    if (session.kind === 'failed') {
      return (
        <section className="screen narrow">
          <h1>{t('app.startupFailed')}</h1>
          <ErrorAlert error={session.error} />
          <button type="button" className="primary" onClick={() => void refresh()}>
            {t('app.retry')}
          </button>
        </section>
      );
    }
    switch (session.status.state) {
      case 'uninitialised':
        return <SetupScreen onSession={onSession} />;
      case 'locked':
        return <UnlockScreen key={signIns} onSession={onSession} lockReason={lockReason} initialLogin={lastLogin} />;
      case 'unlocked':
        break;
    }
    // Keys remount a screen when its subject changes, so no state leaks from one patient to the next.
    switch (route.screen) {
      case 'patients':
        return <PatientsScreen navigate={setRoute} />;
      case 'patient':
        return <PatientScreen key={route.patientId} patientId={route.patientId} navigate={setRoute} />;
      case 'case-new':
        return <CaseNewScreen key={route.patientId} patientId={route.patientId} navigate={setRoute} />;
      case 'case-detail':
        return <CaseDetailScreen key={route.caseId} caseId={route.caseId} navigate={setRoute} />;
      case 'users':
        return <UsersScreen />;
      case 'audit':
        return <AuditScreen navigate={setRoute} />;
      case 'surveillance':
        return <SurveillanceScreen navigate={setRoute} />;
      case 'backups':
        return <BackupsScreen onSession={onSession} />;
    }
  }

  return (
    <>
      <AppHeader
        user={user}
        locking={locking}
        onLock={() => void lock()}
        onSwitchUser={() => void lock(true)}
        onChangePassphrase={() => setChangingPassphrase(true)}
        navigate={setRoute}
      />
      {user ? <AuditChainBanner key={signIns} /> : null}
      {user && recovery.modelProblem ? <ModelIntegrityBanner error={recovery.modelProblem} /> : null}
      {user && !recovery.modelProblem ? <EvaluationBuildBanner /> : null}
      <main id="main" tabIndex={-1}>
        <SessionUserContext.Provider value={user}>{screen()}</SessionUserContext.Provider>
      </main>
      {user && changingPassphrase ? <ChangePassphraseDialog onClose={() => setChangingPassphrase(false)} /> : null}
    </>
  );
}
