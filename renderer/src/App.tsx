import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ErrorPayload, SessionStatus } from '../../electron/contract/ipcContract';
import { api, LOCKED_EVENT } from './api/lanternClient';
import { AppHeader } from './components/AppHeader';
import { ErrorAlert } from './components/ErrorAlert';
import type { Route } from './navigation';
import { CaseDetailScreen } from './screens/CaseDetailScreen';
import { CaseNewScreen } from './screens/CaseNewScreen';
import { PatientScreen } from './screens/PatientScreen';
import { PatientsScreen } from './screens/PatientsScreen';
import { SetupScreen } from './screens/SetupScreen';
import { UnlockScreen } from './screens/UnlockScreen';

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

  const refresh = useCallback(async () => {
    const result = await api.sessionStatus({});
    setSession(result.ok ? { kind: 'known', status: result.value } : { kind: 'failed', error: result.error });
  }, []);

  useEffect(() => {
    void refresh();
    // Any call answered LOCKED means the app locked itself (e.g. idle timeout): re-read the state.
    const onLocked = () => void refresh();
    window.addEventListener(LOCKED_EVENT, onLocked);
    return () => window.removeEventListener(LOCKED_EVENT, onLocked);
  }, [refresh]);

  const onSession = useCallback((status: SessionStatus) => {
    setSession({ kind: 'known', status });
  }, []);

  async function lock() {
    setLocking(true);
    const result = await api.lock({});
    setLocking(false);
    setRoute({ screen: 'patients' });
    if (result.ok) onSession(result.value);
    else void refresh();
  }

  const status = session.kind === 'known' ? session.status : null;
  const user = status?.state === 'unlocked' ? status.user : null;

  function screen() {
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
        return <UnlockScreen onSession={onSession} />;
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
    }
  }

  return (
    <>
      <AppHeader user={user} locking={locking} onLock={() => void lock()} onPatients={() => setRoute({ screen: 'patients' })} />
      <main id="main" tabIndex={-1}>
        {screen()}
      </main>
    </>
  );
}
