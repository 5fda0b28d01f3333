/**
 * Load benchmark: a clinic's database after years of use (100,000 cases with 1,000,000 findings,
 * each case stored as the app stores it: findings, vitals, labs, a note, the model's suggestion and
 * the audit events), encrypted, then what a clinician waits for on it:
 *
 * - `patientSearch`: `searchPatients` through the dispatcher (the budget: p95 ≤ 50 ms);
 * - `openCase`: `getCase` through the dispatcher, which also writes its audit event (p95 ≤ 20 ms);
 * - `database`: file size (budget < 2 GiB) and the bytes per table;
 * - `encryptedVsPlain`: the same reads on an unencrypted copy of the same rows (ratio = encrypted ÷ plain).
 *
 * The data are built fast, straight through the repositories in big transactions, not one saveCase
 * per case; the suggestions are 200 real differentials of random cases, reused. `LANTERN_LOAD_CASES`
 * scales it (default 100,000). Runs only under `npm run bench`: building takes minutes.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createAppServices } from '../electron/app/appServices';
import { getCase } from '../electron/app/cases/caseService';
import { assessCase, inputSnapshot, runDifferential } from '../electron/app/diagnosis/diagnosisService';
import { encodeSuggestionOutput } from '../db/repositories/suggestionRepository';
import type { CaseInput, Patient, Result, UserSummary } from '../electron/contract/ipcContract';
import { openEncryptedDatabase } from '../db/openDatabase';
import { migrate } from '../db/migrate';
import { CaseStore } from '../db/caseStore';
import { writeBackup } from '../db/backup';
import { mulberry32 } from '../models/runtime/common/rng';
import type { Rng } from '../models/runtime/common/rng';
import { stats } from './forestBench';

export const loadBudgets = { patientSearchP95Ms: 50, openCaseP95Ms: 20, databaseBytes: 2 * 1024 ** 3 } as const;

const given = [
  'Amina',
  'Kwame',
  'Fatima',
  'Chen',
  'Wei',
  'Priya',
  'Arjun',
  'Maria',
  'José',
  'Olga',
  'Ivan',
  'Aisha',
  'Omar',
  'Sara',
  'Noah',
  'Ngozi',
  'Tendai',
  'Mei',
  'Hiroshi',
  'Ana',
  'Lucas',
  'Nia',
  'Kofi',
  'Leila',
  'Yusuf',
  'Zainab',
  'Thabo',
  'Lerato',
  'Anh',
  'Linh',
  'محمد',
  'مريم',
  'יוסף',
  'שרה',
  '芳',
  '伟',
  'अनन्या',
  'राहुल',
  'สมชาย',
  'Đức',
];
const family = [
  'Osei',
  'Mensah',
  'Haddad',
  'Nguyen',
  'Tran',
  'Sharma',
  'Patel',
  'Silva',
  'Santos',
  'Ivanova',
  'Petrov',
  'Okafor',
  'Adeyemi',
  'Moyo',
  'Dube',
  'Kim',
  'Park',
  'Tanaka',
  'Lima',
  'Costa',
  'Diallo',
  'Traoré',
  'Abebe',
  'Tesfaye',
  'Kariuki',
  'Wanjiru',
  'Hassan',
  'Ali',
  'Khan',
  'Rahman',
  'الحسن',
  'العلي',
  'כהן',
  'לוי',
  '王',
  '李',
  'शर्मा',
  'ใจดี',
  'Nakamura',
  'García',
];

function pick<T>(items: readonly T[], rng: Rng): T {
  return items[Math.floor(rng() * items.length)]!;
}

function randomFindings(features: readonly string[], count: number, rng: Rng): CaseInput['findings'] {
  const findings: CaseInput['findings'] = {};
  while (Object.keys(findings).length < count) findings[pick(features, rng)] = rng() < 0.6 ? 'present' : 'absent';
  return findings;
}

async function timedAsync<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const value = await fn();
  return [performance.now() - t0, value];
}

function timed<T>(fn: () => T): [number, T] {
  const t0 = performance.now();
  const value = fn();
  return [performance.now() - t0, value];
}

function databaseBytes(path: string): number {
  return ['', '-wal'].reduce((sum, suffix) => {
    try {
      return sum + statSync(`${path}${suffix}`).size;
    } catch {
      return sum;
    }
  }, 0);
}

/** Bytes per table and index (SQLite's dbstat), largest first. */
function bytesByObject(db: Database.Database): Record<string, number> {
  const rows = db.prepare('SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC').all() as { name: string; bytes: number }[];
  // The objects that matter: over 1 MiB, or over 1% of a small test database.
  const total = rows.reduce((sum, r) => sum + r.bytes, 0);
  const floor = Math.min(1024 * 1024, total / 100);
  return Object.fromEntries(rows.filter((r) => r.bytes >= floor).map((r) => [r.name, r.bytes]));
}

/**
 * An unencrypted copy with the same schema (the app's migrations) and rows, for the ratio. Copied
 * through ATTACH … KEY '' (SQLite3MultipleCiphers: an empty key means no encryption).
 */
function writePlainCopy(encrypted: Database.Database, plainPath: string): void {
  const plain = new Database(plainPath);
  plain.pragma('journal_mode = WAL');
  migrate(plain);
  const tables = plain.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).pluck().all() as string[];
  plain.close();
  encrypted.pragma('foreign_keys = OFF');
  encrypted.prepare(`ATTACH DATABASE ? AS plain KEY ''`).run(plainPath);
  try {
    encrypted.transaction(() => {
      // Table names come from the plain copy's own schema, created by our migrations.
      for (const t of tables) encrypted.exec(`INSERT INTO plain."${t}" SELECT * FROM main."${t}"`);
    })();
  } finally {
    encrypted.exec('DETACH DATABASE plain');
    encrypted.pragma('foreign_keys = ON');
  }
}

export interface LoadBenchOptions {
  cases?: number;
  findingsPerCase?: number;
  casesPerPatient?: number;
  seed?: number;
  /** Distinct real differentials to reuse (default 200). */
  templates?: number;
  /** Timed searches and case openings (default 200 and 300). */
  searches?: number;
  opens?: number;
  log?: (line: string) => void;
}

export async function runLoadBench(dir: string, options: LoadBenchOptions = {}) {
  const totalCases = options.cases ?? Number(process.env['LANTERN_LOAD_CASES'] ?? 100_000);
  const findingsPerCase = options.findingsPerCase ?? 10;
  const casesPerPatient = options.casesPerPatient ?? 2;
  const log = options.log ?? ((line: string) => process.stderr.write(`[load bench] ${line}\n`));
  const rng = mulberry32(options.seed ?? 20260101);
  const dbPath = join(dir, 'load.db');
  const passphrase = 'load bench passphrase';

  const services = createAppServices({ dbPath, scheduleBackups: false });
  const call = async <T>(method: string, payload: unknown): Promise<T> => {
    const r = (await services.call(method, payload)) as Result<T>;
    if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
    return r.value;
  };
  await call('setup', { displayName: 'Load Bench', passphrase });
  const { store, user } = services.session.require();
  const models = services.models();
  const features = models.registry.get('symptom-differential').features;

  // 200 real differentials (with their risk models), serialised once and reused.
  const at0 = Date.parse('2023-01-01T08:00:00Z');
  const templates = Array.from({ length: options.templates ?? 200 }, () => {
    const input: CaseInput = {
      findings: randomFindings(features, findingsPerCase, rng),
      vitals: [{ code: 'temperature', value: 36 + rng() * 4 }],
      labs: [],
      modelInputs: {},
      note: '',
    };
    const assessed = assessCase(models, input, { birthDate: '1970-06-15', sex: pick(['female', 'male'] as const, rng) }, new Date(at0));
    const differential = runDifferential(models, assessed);
    const ran = [differential, ...differential.riskAssessments.filter((r) => r.status === 'ran')] as {
      modelId: string;
      modelVersion: string;
      modelSha256: string;
    }[];
    return {
      differential,
      output: JSON.stringify(differential),
      encoded: encodeSuggestionOutput(differential),
      snapshot: JSON.stringify(inputSnapshot(assessed)),
      ran,
    };
  });
  // Stored exactly as SuggestionRepository.insert stores it (deflated output, top label).
  const insertSuggestion = store.db.prepare(
    `INSERT INTO suggestions (id, encounter_id, model_id, model_version, artefact_sha256, input_snapshot, output, output_deflated, top_label, created_at, created_by)
     VALUES (?, ?, ?, ?, ?, ?, '', ?, ?, ?, ?)`,
  );

  log(`building ${totalCases} cases…`);
  const caseIds: string[] = [];
  const patientNames: string[] = [];
  const [buildMs] = timed(() => {
    const perTransaction = 2_000;
    let patientId = '';
    for (let done = 0; done < totalCases; done += perTransaction) {
      store.transaction(() => {
        for (let i = done; i < Math.min(totalCases, done + perTransaction); i++) {
          const at = new Date(at0 + i * 15 * 60 * 1000).toISOString(); // a case every quarter hour, ~3 years
          if (i % casesPerPatient === 0) {
            const name = `${pick(given, rng)} ${pick(family, rng)}${rng() < 0.3 ? ` ${pick(family, rng)}` : ''}`;
            patientId = randomUUID();
            const year = 1930 + Math.floor(rng() * 90);
            store.patients.insert(
              {
                id: patientId,
                name,
                birthDate: `${year}-0${1 + Math.floor(rng() * 9)}-1${Math.floor(rng() * 9)}`,
                sex: pick(['female', 'male'] as const, rng),
                createdAt: at,
              },
              user.id,
            );
            patientNames.push(name);
          }
          const template = templates[i % templates.length]!;
          const caseId = randomUUID();
          const note = `Presented with ${Object.keys(randomFindings(features, 3, rng)).join(', ')}. `.repeat(1 + Math.floor(rng() * 4));
          store.cases.insert({
            id: caseId,
            patientId,
            clinicianId: user.id,
            createdAt: at,
            findings: randomFindings(features, findingsPerCase, rng),
            vitals: [
              { code: 'temperature', loinc: '8310-5', value: Math.round((36 + rng() * 4) * 10) / 10, unit: 'Cel', flag: 'normal' },
              { code: 'heartRate', loinc: '8867-4', value: Math.round(55 + rng() * 70), unit: '/min', flag: 'normal' },
            ],
            labs: rng() < 0.3 ? [{ loinc: '2823-3', value: Math.round((3 + rng() * 2.5) * 10) / 10, unit: 'mmol/L', flag: 'normal' }] : [],
            note,
            modelInputs: {},
          });
          store.audit.append({ at, userId: user.id, action: 'case.create', encounterId: caseId, detail: { patientId } });
          insertSuggestion.run(
            randomUUID(),
            caseId,
            template.differential.modelId,
            template.differential.modelVersion,
            template.differential.modelSha256,
            template.snapshot,
            template.encoded.outputDeflated,
            template.encoded.topLabel,
            at,
            user.id,
          );
          for (const model of template.ran) {
            store.audit.append({
              at,
              userId: user.id,
              action: 'model.run',
              encounterId: caseId,
              modelId: model.modelId,
              modelVersion: model.modelVersion,
              modelSha256: model.modelSha256,
              detail: { purpose: 'saved' },
            });
          }
          caseIds.push(caseId);
        }
      });
      if ((done / perTransaction) % 10 === 0) log(`${done + perTransaction} / ${totalCases}`);
    }
  });
  const counts = {
    patients: store.db.prepare('SELECT count(*) FROM patients').pluck().get() as number,
    cases: store.db.prepare('SELECT count(*) FROM encounters').pluck().get() as number,
    findings: store.db.prepare('SELECT count(*) FROM findings').pluck().get() as number,
    suggestions: store.db.prepare('SELECT count(*) FROM suggestions').pluck().get() as number,
    auditEvents: store.db.prepare('SELECT count(*) FROM audit_events').pluck().get() as number,
  };
  const byObject = bytesByObject(store.db);
  // How long a backup of this database takes (the app runs it in a worker thread, so nobody waits).
  const [backupMs, backup] = timed(() => writeBackup(store.db, dbPath, join(dir, 'backups')));
  rmSync(backup.folder, { recursive: true, force: true });
  const suggestionBytesPerCase = Math.round(templates.reduce((s, t) => s + t.output.length, 0) / templates.length);
  const storedSuggestionBytesPerCase = Math.round(templates.reduce((s, t) => s + t.encoded.outputDeflated.length, 0) / templates.length);
  const masterKey = Buffer.from(services.session.requireUnlocked().masterKey);
  services.close(); // checkpoints the WAL into the file
  const encryptedBytes = databaseBytes(dbPath);
  log(`built in ${Math.round(buildMs / 1000)} s: ${(encryptedBytes / 1024 ** 2).toFixed(0)} MiB`);

  // Queries a clinician types: a family name, a given name, a 3–4 letter fragment, a full name, a miss.
  const queries = Array.from({ length: options.searches ?? 200 }, (_, i) => {
    const name = pick(patientNames, rng);
    switch (i % 5) {
      case 0:
        return name.split(' ').at(-1)!;
      case 1:
        return name.split(' ')[0]!;
      case 2: {
        const start = Math.floor(rng() * Math.max(1, name.length - 4));
        return name.slice(start, start + 3 + Math.floor(rng() * 2)).trim() || name;
      }
      case 3:
        return name;
      default:
        return `zq${Math.floor(rng() * 1e6)}`;
    }
  });
  const openIds = Array.from({ length: options.opens ?? 300 }, () => pick(caseIds, rng));

  // Through the dispatcher, as the app: unlock, warm up, then time.
  await call('unlock', { passphrase });
  for (const q of queries.slice(0, 20)) await call<Patient[]>('searchPatients', { query: q });
  for (const id of openIds.slice(0, 20)) await call('getCase', { caseId: id });
  const search: number[] = [];
  for (const q of queries) search.push((await timedAsync(() => call<Patient[]>('searchPatients', { query: q })))[0]);
  const open: number[] = [];
  for (const id of openIds) open.push((await timedAsync(() => call('getCase', { caseId: id })))[0]);
  services.close();

  // The same reads, encrypted and plain, through the repositories and the case service (same code).
  log('writing the unencrypted copy…');
  const encryptedDb = openEncryptedDatabase(dbPath, masterKey);
  const plainPath = join(dir, 'load-plain.db');
  writePlainCopy(encryptedDb, plainPath);
  encryptedDb.close();
  const plainDb = new Database(plainPath);
  plainDb.pragma('journal_mode = WAL');
  plainDb.pragma('synchronous = FULL');
  plainDb.pragma('foreign_keys = ON');
  const plainBytes = databaseBytes(plainPath);
  const plainCases = plainDb.prepare('SELECT count(*) FROM encounters').pluck().get() as number;
  const reads = (db: Database.Database) => {
    const s = new CaseStore(db);
    const actor = { store: s, user: { id: user.id, displayName: user.displayName, role: user.role } as UserSummary };
    for (const q of queries.slice(0, 20)) s.patients.search(q);
    for (const id of openIds.slice(0, 20)) getCase(actor, id);
    const searchMs = queries.map((q) => timed(() => s.patients.search(q))[0]);
    const openMs = openIds.map((id) => timed(() => getCase(actor, id))[0]);
    s.close();
    return { search: stats(searchMs), open: stats(openMs) };
  };
  const enc = reads(openEncryptedDatabase(dbPath, masterKey));
  const plain = reads(plainDb);
  masterKey.fill(0);
  const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;

  const searchStats = stats(search);
  const openStats = stats(open);
  return {
    built: { ...counts, seconds: Math.round(buildMs / 100) / 10, casesPerSecond: Math.round(totalCases / (buildMs / 1000)) },
    database: {
      bytes: encryptedBytes,
      mib: Math.round(encryptedBytes / 1024 ** 2),
      budgetBytes: loadBudgets.databaseBytes,
      withinBudget: encryptedBytes < loadBudgets.databaseBytes,
      bytesByTableOrIndex: byObject,
      differentialJsonBytesPerCase: suggestionBytesPerCase,
      storedDifferentialBytesPerCase: storedSuggestionBytesPerCase,
    },
    backup: {
      seconds: Math.round(backupMs / 100) / 10,
      bytes: backup.manifest.database.bytes,
      note: 'writeBackup: VACUUM INTO, quick_check, sha256; the app runs it in a worker thread on its own connection',
    },
    patientSearch: { ...searchStats, budgetP95Ms: loadBudgets.patientSearchP95Ms, withinBudget: searchStats.p95Ms <= loadBudgets.patientSearchP95Ms },
    openCase: {
      ...openStats,
      budgetP95Ms: loadBudgets.openCaseP95Ms,
      withinBudget: openStats.p95Ms <= loadBudgets.openCaseP95Ms,
      note: 'getCase through the dispatcher, including its audited read (one fsync)',
    },
    encryptedVsPlain: {
      search: { encrypted: enc.search, plain: plain.search, medianRatio: ratio(enc.search.medianMs, plain.search.medianMs) },
      openCase: { encrypted: enc.open, plain: plain.open, medianRatio: ratio(enc.open.medianMs, plain.open.medianMs) },
      size: { encryptedBytes, plainBytes, ratio: ratio(encryptedBytes, plainBytes) },
      plainCases,
    },
  };
}

/** `node build/bench/loadBench.js`: this benchmark alone, JSON on stdout. */
if (require.main === module) {
  const dir = mkdtempSync(join(tmpdir(), 'lantern-load-'));
  runLoadBench(dir)
    .then((result) => process.stdout.write(`${JSON.stringify(result, null, 2)}\n`))
    .catch((err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    })
    .finally(() => rmSync(dir, { recursive: true, force: true }));
}
