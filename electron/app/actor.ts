import type { CaseStore } from '../../db/caseStore';
import type { UserSummary } from '../contract/ipcContract';

/**
 * Who acts, on which open store: the first argument of every use case. Its own module so that use
 * cases which call each other (cases list images, images check the case) need not import one another
 * for it.
 */
export interface Actor {
  store: CaseStore;
  user: UserSummary;
}
