/**
 * The `lantern` command line: the same services and contract the app uses, for bulk work and for
 * checking the product from outside. Command names and formats are stable; see README.md.
 *
 * Exit codes: 0 done; 1 failed (message on stderr); 2 usage or input error; 3 wrong passphrase.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import type { CaseExport, AuditChainStatus, BackupSummary, CaseDetail, Patient, Result, SetupResult } from '../contract/ipcContract';
import type { AppServices } from '../app/appServices';
import { LineError } from './lineError';

// Each command loads its own dependencies (import() below): `lantern predict` over a forest then
// starts without the app services, zod, PDF, imaging and NLP modules (issue 13, batch speed).

class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

const usage = `usage:
  lantern case add --db <path> --input <case.json>
  lantern case list --db <path>
  lantern case export --db <path> --id <case id> --format fhir|pdf [--output <file>]
  lantern audit verify --db <path> [--anchor <manifest|report|checkpoint>]...
  lantern backup --db <path> [--to <dir>]
  lantern restore --db <path> --from <backup folder> [--other-database]
  lantern predict --model <id> --input <in.jsonl> --output <out.jsonl>
  lantern ask-next --model ddxplus-differential --input <in.jsonl> --output <out.jsonl>
  lantern segment --model retina-vessels --input <in.jsonl> --output-dir <dir>
  lantern dicom-info <file>
  lantern ner --input <in.jsonl> --output <out.jsonl>
  lantern negation --input <in.jsonl> --output <out.jsonl>
  lantern triage --input <in.jsonl> --output <out.jsonl>
The passphrase comes from LANTERN_PASSPHRASE or is asked for; it is never an argument.
LANTERN_LOGIN names the account to sign in as (default: whichever account the passphrase opens).
restore: an administrator of the current database (LANTERN_LOGIN, passphrase); while it cannot be
opened, LANTERN_RECOVERY_KEY instead; LANTERN_BACKUP_PASSPHRASE when the backup's passphrase differs.`;

async function readPassphrase(): Promise<string> {
  const fromEnv = process.env['LANTERN_PASSPHRASE'];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: process.stdin.isTTY });
  if (process.stdin.isTTY) {
    // Hide what is typed: echo nothing after the prompt.
    const out = rl as unknown as { _writeToOutput: (s: string) => void };
    process.stderr.write('Passphrase: ');
    out._writeToOutput = () => undefined;
  }
  const line = await new Promise<string>((resolve) => rl.once('line', resolve).once('close', () => resolve('')));
  rl.close();
  if (process.stdin.isTTY) process.stderr.write('\n');
  if (line === '') throw new CliError('No passphrase: set LANTERN_PASSPHRASE or type it when asked.', 2);
  return line;
}

function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw new CliError(
    `${result.error.message}${result.error.field ? ` (field ${result.error.field})` : ''}`,
    result.error.code === 'WRONG_PASSPHRASE' ? 3 : result.error.code === 'VALIDATION_FAILED' || result.error.code === 'VALUE_OUT_OF_RANGE' ? 2 : 1,
  );
}

async function call<T>(services: AppServices, method: string, payload: unknown): Promise<T> {
  return unwrap((await services.call(method, payload)) as Result<T>);
}

/** Opens the database, creating it on first use when `create` is set. */
async function openSession(dbPath: string, create: boolean): Promise<AppServices> {
  const { createAppServices } = await import('../app/appServices.js');
  const services = createAppServices({ dbPath, purpose: 'the lantern command line' });
  try {
    await signInCli(services, dbPath, create);
  } catch (err) {
    // Release the database lock and key before reporting.
    services.close();
    throw err;
  }
  return services;
}

async function signInCli(services: AppServices, dbPath: string, create: boolean): Promise<void> {
  const passphrase = await readPassphrase();
  if (!services.session.isInitialised()) {
    if (!create) throw new CliError(`No Lantern database at ${dbPath}.`, 1);
    const { recoveryKey } = await call<SetupResult>(services, 'setup', { displayName: 'Administrator', login: 'admin', passphrase });
    // Shown once, on stderr so piped output stays machine-readable; it is stored nowhere in clear.
    process.stderr.write(`lantern: created ${dbPath} (admin login "admin"). Recovery key, shown once - write it down:\n  ${recoveryKey}\n`);
  } else {
    const login = process.env['LANTERN_LOGIN'];
    await call(services, 'unlock', login ? { login, passphrase } : { passphrase });
  }
}

function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new CliError(`Cannot read ${path}: ${(err as Error).message}`, 2);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new CliError(`${path} is not valid JSON: ${(err as Error).message}`, 2);
  }
}

async function caseAdd(dbPath: string, inputPath: string): Promise<void> {
  const [{ CaseFileSchema }, { authorise }, { contract }, { createPatient, saveCase }, { toErrorPayload }, { randomUUID }] = await Promise.all([
    import('./caseFileSchema.js'),
    import('../app/methodAccess.js'),
    import('../contract/ipcContract.js'),
    import('../app/cases/caseService.js'),
    import('../app/serviceErrors.js'),
    import('node:crypto'),
  ]);
  const parsed = CaseFileSchema.safeParse(readJsonFile(inputPath));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new CliError(`${inputPath}: ${issue?.path.join('.') || 'case'}: ${issue?.message ?? 'invalid'}`, 2);
  }
  const { patient: patientInput, ...caseInput } = parsed.data;
  const services = await openSession(dbPath, true);
  try {
    // The same person entered twice is one patient: same name, birth date and sex.
    const candidates = await call<Patient[]>(services, 'searchPatients', { query: patientInput.name });
    const existing = candidates.find((p) => p.name === patientInput.name && p.birthDate === patientInput.birthDate && p.sex === patientInput.sex);
    // A new patient and their case are one transaction: a case the app rejects (an implausible value,
    // say) leaves no patient behind. The same role checks and schemas as the methods themselves.
    authorise(services.session, 'createPatient');
    authorise(services.session, 'saveCase');
    const request = contract.saveCase.request.safeParse({ patientId: existing?.id ?? randomUUID(), case: caseInput });
    if (!request.success)
      throw new CliError(`${inputPath}: ${request.error.issues[0]?.path.join('.') ?? 'case'}: ${request.error.issues[0]?.message ?? 'invalid'}`, 2);
    const actor = services.session.require();
    let patient: Patient;
    let saved: CaseDetail;
    try {
      ({ patient, saved } = actor.store.transaction(() => {
        const p = existing ?? createPatient(actor, patientInput);
        return { patient: p, saved: saveCase(actor, services.models(), p.id, request.data.case) };
      }));
    } catch (err) {
      unwrap({ ok: false, error: toErrorPayload(err) });
      throw err;
    }
    process.stdout.write(
      `${JSON.stringify({ id: saved.id, patientId: patient.id, createdAt: saved.createdAt, topDiagnosis: saved.differential?.items[0]?.label ?? null })}\n`,
    );
  } finally {
    services.close();
  }
}

async function caseList(dbPath: string): Promise<void> {
  const services = await openSession(dbPath, false);
  try {
    const { store } = services.session.require();
    for (const caseId of store.cases.listAllIds()) {
      const detail = await call<CaseDetail>(services, 'getCase', { caseId });
      const patient = await call<Patient>(services, 'getPatient', { patientId: detail.patientId });
      const line = {
        id: detail.id,
        createdAt: detail.createdAt,
        patient: { id: patient.id, name: patient.name, birthDate: patient.birthDate, sex: patient.sex },
        findings: detail.findings,
        vitals: detail.vitals,
        labs: detail.labs,
        note: detail.note,
        differential: detail.differential && {
          modelId: detail.differential.modelId,
          modelVersion: detail.differential.modelVersion,
          modelSha256: detail.differential.modelSha256,
          items: detail.differential.items.map((i) => ({ label: i.label, probability: i.probability })),
        },
        complaint: detail.complaintSuggestion
          ? {
              modelId: detail.complaintSuggestion.modelId,
              modelVersion: detail.complaintSuggestion.modelVersion,
              modelSha256: detail.complaintSuggestion.modelSha256,
              ranking: detail.complaintSuggestion.ranking,
              abstained: detail.complaintSuggestion.abstained,
            }
          : null,
      };
      process.stdout.write(`${JSON.stringify(line)}\n`);
    }
  } finally {
    services.close();
  }
}

/** An encrypted backup folder (database, keyring, manifest) under `to`, default `<data dir>/backups`. */
async function backupCommand(dbPath: string, to: string | undefined): Promise<void> {
  const services = await openSession(dbPath, false);
  try {
    const summary = await call<BackupSummary>(services, 'createBackup', to === undefined ? {} : { targetDir: resolve(to) });
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  } finally {
    services.close();
  }
}

/**
 * Verifies the backup and swaps it in; the replaced database is kept beside it, renamed. Only an
 * administrator of the current database (or, while it cannot be opened, its recovery key) may.
 */
async function restoreCommand(dbPath: string, from: string, otherDatabase: boolean): Promise<void> {
  const env = (name: string) => (process.env[name] === '' ? undefined : process.env[name]);
  const recoveryKey = env('LANTERN_RECOVERY_KEY');
  const passphrase = recoveryKey === undefined ? await readPassphrase() : env('LANTERN_PASSPHRASE');
  const [{ restoreFromBackup }, { toErrorPayload }] = await Promise.all([import('../app/backup/backupService.js'), import('../app/serviceErrors.js')]);
  try {
    const request = {
      backupPath: resolve(from),
      passphrase,
      recoveryKey,
      login: env('LANTERN_LOGIN'),
      backupPassphrase: env('LANTERN_BACKUP_PASSPHRASE'),
      confirmOtherDatabase: otherDatabase,
    };
    const summary = await restoreFromBackup(resolve(dbPath), request);
    process.stdout.write(`${JSON.stringify(summary)}\n`);
  } catch (err) {
    const error = toErrorPayload(err);
    const message = error.code === 'INTERNAL' && err instanceof Error ? err.message : error.message;
    throw new CliError(message, error.code === 'WRONG_PASSPHRASE' ? 3 : 1);
  }
}

/** Resolves once the bytes are handed to the OS, so exiting right after cannot cut a PDF short. */
function writeStdout(bytes: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(bytes, (err) => (err ? reject(err) : resolve()));
  });
}

/**
 * One case as a FHIR R4 bundle or a PDF report: to --output (a JSON summary on stdout), or the
 * file itself on stdout (the summary on stderr). The export is audited like one from the app.
 */
async function caseExport(dbPath: string, caseId: string | undefined, format: string | undefined, output: string | undefined): Promise<void> {
  if (caseId === undefined || caseId === '') throw new CliError(`missing --id\n${usage}`, 2);
  const { caseExportFormats } = await import('../contract/ipcContract.js');
  if (!(caseExportFormats as readonly string[]).includes(format ?? '')) {
    throw new CliError(`--format must be one of ${caseExportFormats.join(', ')}${format ? ` (got "${format}")` : ''}\n${usage}`, 2);
  }
  const services = await openSession(dbPath, false);
  try {
    const exported = await call<CaseExport>(services, 'exportCase', { caseId, format });
    const bytes = Buffer.from(exported.dataBase64, 'base64');
    const summary = {
      fileName: exported.fileName,
      mediaType: exported.mediaType,
      bytes: bytes.length,
      sha256: exported.sha256,
      chainHead: exported.chainHead,
      auditSeq: exported.auditSeq,
    };
    if (output !== undefined && output !== '') {
      try {
        // A patient's report: the owner's alone, like the database it came from.
        writeFileSync(output, bytes, { mode: 0o600 });
      } catch (err) {
        throw new CliError(`Cannot write ${output}: ${(err as Error).message}`, 1);
      }
      process.stdout.write(`${JSON.stringify({ ...summary, output: resolve(output) })}\n`);
    } else {
      await writeStdout(bytes);
      process.stderr.write(`lantern case export: ${JSON.stringify(summary)}\n`);
    }
  } finally {
    services.close();
  }
}

/**
 * Checks the whole hash chain, every case's content hash and every anchor found (the checkpoint
 * file, this database's backups) or named with --anchor; exit 0 when intact, 1 naming the first break.
 */
async function auditVerify(dbPath: string, anchorFiles: readonly string[]): Promise<number> {
  const [{ recordBreak }, { verifyAuditTrail }] = await Promise.all([
    import('../app/accountability/auditService.js'),
    import('../app/accountability/auditTrailVerification.js'),
  ]);
  const services = await openSession(dbPath, false);
  try {
    const status =
      anchorFiles.length === 0
        ? await call<AuditChainStatus>(services, 'verifyAuditChain', {})
        : recordBreak(
            services.session.requireUnlocked(),
            verifyAuditTrail(services.session.requireUnlocked(), { backupDir: services.backups.schedule.dir, anchorFiles: anchorFiles.map((f) => resolve(f)) }),
          );
    process.stdout.write(`${JSON.stringify(status)}\n`);
    if (!status.intact) process.stderr.write(`lantern audit verify: chain broken at event ${status.firstBrokenSeq}: ${status.reason}\n`);
    return status.intact ? 0 : 1;
  } finally {
    services.close();
  }
}

export async function main(argv: string[]): Promise<number> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      db: { type: 'string' },
      input: { type: 'string' },
      output: { type: 'string' },
      model: { type: 'string' },
      'output-dir': { type: 'string' },
      id: { type: 'string' },
      format: { type: 'string' },
      to: { type: 'string' },
      from: { type: 'string' },
      'other-database': { type: 'boolean' },
      anchor: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const need = (name: 'db' | 'input' | 'output' | 'model' | 'output-dir' | 'from'): string => {
    const v = values[name];
    if (v === undefined || v === '') throw new CliError(`missing --${name}\n${usage}`, 2);
    return v;
  };
  const command = positionals[0] === 'dicom-info' ? 'dicom-info' : positionals.join(' ');
  const report = (summary: string) => process.stderr.write(`lantern ${command}: ${summary}\n`);
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  switch (command) {
    case 'case add':
      await caseAdd(need('db'), need('input'));
      return 0;
    case 'case list':
      await caseList(need('db'));
      return 0;
    case 'case export':
      await caseExport(need('db'), values.id, values.format, values.output);
      return 0;
    case 'audit verify':
      return auditVerify(need('db'), values.anchor ?? []);
    case 'backup':
      await backupCommand(need('db'), values.to === '' ? undefined : values.to);
      return 0;
    case 'restore':
      await restoreCommand(need('db'), need('from'), values['other-database'] === true);
      return 0;
    case 'predict': {
      const model = need('model');
      const { ddxplusCommand, isDdxplusModel } = await import('./ddxplusCommands.js');
      if (isDdxplusModel(model)) {
        report(await ddxplusCommand('predict', model, need('input'), need('output')));
      } else {
        const { predictCommand } = await import('./jsonlCommands.js');
        report(await predictCommand(model, need('input'), need('output')));
      }
      return 0;
    }
    case 'ask-next': {
      const { ddxplusCommand } = await import('./ddxplusCommands.js');
      report(await ddxplusCommand('ask-next', need('model'), need('input'), need('output')));
      return 0;
    }
    case 'segment': {
      const { segmentCommand } = await import('./jsonlCommands.js');
      report(await segmentCommand(need('model'), need('input'), need('output-dir')));
      return 0;
    }
    case 'ner': {
      const { nerCommand } = await import('./jsonlCommands.js');
      report(await nerCommand(need('input'), need('output')));
      return 0;
    }
    case 'negation': {
      const { negationCommand } = await import('./jsonlCommands.js');
      report(await negationCommand(need('input'), need('output')));
      return 0;
    }
    case 'triage': {
      const { triageCommand } = await import('./triageCommand.js');
      report(await triageCommand(need('input'), need('output')));
      return 0;
    }
    case 'dicom-info': {
      const file = positionals[1];
      if (file === undefined || positionals.length !== 2) throw new CliError(`usage: lantern dicom-info <file>`, 2);
      const { runDicomInfo } = await import('../app/imaging/dicomInfoCommand.js');
      const { output, exitCode } = runDicomInfo(file);
      process.stdout.write(`${JSON.stringify(output)}\n`);
      return exitCode;
    }
    default:
      throw new CliError(`unknown command "${command}"\n${usage}`, 2);
  }
}

/** Runs a command and exits the process with the documented exit code. */
export function runCli(argv: string[]): void {
  main(argv).then(
    (code) => process.exit(code),
    async (err: unknown) => {
      if (err instanceof CliError || err instanceof LineError) {
        process.stderr.write(`lantern: ${err.message}\n`);
        process.exit(err instanceof CliError ? err.exitCode : 2);
      }
      const { toErrorPayload } = await import('../app/serviceErrors.js');
      const payload = toErrorPayload(err);
      const message = payload.code === 'INTERNAL' && err instanceof Error ? err.message : payload.message;
      process.stderr.write(`lantern: ${message}\n`);
      const usageError = String((err as { code?: unknown }).code ?? '').startsWith('ERR_PARSE_ARGS');
      process.exit(payload.code === 'WRONG_PASSPHRASE' ? 3 : usageError ? 2 : 1);
    },
  );
}

if (require.main === module) runCli(process.argv.slice(2));
