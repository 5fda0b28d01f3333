/** In-app locations once the database is unlocked. Kept in memory: there is nothing to deep-link. */
export type Route =
  | { screen: 'patients' }
  | { screen: 'patient'; patientId: string }
  | { screen: 'case-new'; patientId: string }
  | { screen: 'case-detail'; caseId: string }
  | { screen: 'users' }
  | { screen: 'audit' }
  | { screen: 'surveillance' }
  | { screen: 'backups' };

export type Navigate = (route: Route) => void;
