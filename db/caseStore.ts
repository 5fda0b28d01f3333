import type { Database } from 'better-sqlite3-multiple-ciphers';
import { AuditRepository } from './repositories/auditRepository';
import { AuditSearchRepository } from './repositories/auditSearchRepository';
import { CaseRepository } from './repositories/caseRepository';
import { DecisionRepository } from './repositories/decisionRepository';
import { ImageRepository } from './repositories/imageRepository';
import { ImageMeasurementRepository } from './repositories/imageMeasurementRepository';
import { PatientRepository } from './repositories/patientRepository';
import { SuggestionRepository } from './repositories/suggestionRepository';
import { SurveillanceRepository } from './repositories/surveillanceRepository';
import { UserRepository } from './repositories/userRepository';

/** The repositories over one open connection, plus its transaction helper. */
export class CaseStore {
  readonly users: UserRepository;
  readonly patients: PatientRepository;
  readonly cases: CaseRepository;
  readonly suggestions: SuggestionRepository;
  readonly images: ImageRepository;
  readonly measurements: ImageMeasurementRepository;
  readonly audit: AuditRepository;
  readonly decisions: DecisionRepository;
  readonly auditSearch: AuditSearchRepository;
  readonly surveillance: SurveillanceRepository;

  constructor(readonly db: Database) {
    this.users = new UserRepository(db);
    this.patients = new PatientRepository(db);
    this.cases = new CaseRepository(db);
    this.suggestions = new SuggestionRepository(db);
    this.images = new ImageRepository(db);
    this.measurements = new ImageMeasurementRepository(db);
    this.audit = new AuditRepository(db);
    this.decisions = new DecisionRepository(db);
    this.auditSearch = new AuditSearchRepository(db);
    this.surveillance = new SurveillanceRepository(db);
  }

  /** Called after each outermost commit (the session anchors the chain head outside the database). */
  onCommit: (() => void) | null = null;

  /** All-or-nothing: the change and its audit event commit together. */
  transaction<T>(fn: () => T): T {
    const result = this.db.transaction(fn).immediate();
    // A nested call commits nothing yet: only the outermost may anchor what is now durable.
    if (!this.db.inTransaction) this.onCommit?.();
    return result;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
