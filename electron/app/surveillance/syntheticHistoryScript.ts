/**
 * Writes the seeded synthetic case history (syntheticHistory.ts) into a Lantern database through
 * the real session and repositories, or as JSON lines:
 *
 *   LANTERN_PASSPHRASE=... node build/electron/app/surveillance/syntheticHistoryScript.js --data-dir DIR
 *   node build/electron/app/surveillance/syntheticHistoryScript.js --jsonl cases.jsonl
 *
 * Options: --seed N, --scale X (11 ≈ 100,000 cases), --years N, --start YYYY-MM-DD (a Monday),
 * --outbreak-start YYYY-MM-DD (Monday of the outbreak's first week; `none` for no outbreak),
 * --outbreak-extra N (extra dengue cases per outbreak week), --name "Display Name" and --login L
 * for the first account when the database is created.
 * Prints one JSON line: counts, range and the outbreak's weeks. For demos and tests only: the
 * patients are invented and named "Synthetic Patient N".
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { LanternSession } from '../accountability/lanternSession';
import { databasePathIn } from '../appPaths';
import { defaultSyntheticOptions, generateSyntheticHistory, toConfirmedCases, writeSyntheticHistory } from './syntheticHistory';

export class SyntheticHistoryUsageError extends Error {
  override readonly name = 'SyntheticHistoryUsageError';
}

function numberOption(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new SyntheticHistoryUsageError(`--${name} must be a positive number`);
  return n;
}

export async function runSyntheticHistoryScript(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<Record<string, unknown>> {
  const { values } = parseArgs({
    args: argv,
    options: {
      'data-dir': { type: 'string' },
      db: { type: 'string' },
      jsonl: { type: 'string' },
      seed: { type: 'string' },
      scale: { type: 'string' },
      years: { type: 'string' },
      start: { type: 'string' },
      'outbreak-start': { type: 'string' },
      'outbreak-extra': { type: 'string' },
      name: { type: 'string' },
      login: { type: 'string' },
    },
    strict: true,
  });
  const overrides = {
    ...(values.seed !== undefined ? { seed: numberOption(values.seed, 'seed')! } : {}),
    ...(values.scale !== undefined ? { scale: numberOption(values.scale, 'scale')! } : {}),
    ...(values.years !== undefined ? { years: Math.round(numberOption(values.years, 'years')!) } : {}),
    ...(values.start !== undefined ? { start: values.start } : {}),
  };
  for (const name of ['start', 'outbreak-start'] as const) {
    const v = values[name];
    if (v !== undefined && v !== 'none' && !/^\d{4}-\d{2}-\d{2}$/.test(v)) throw new SyntheticHistoryUsageError(`--${name} must be YYYY-MM-DD`);
  }
  const options = defaultSyntheticOptions(overrides);
  if (values['outbreak-start'] === 'none') options.outbreak = null;
  else if (options.outbreak) {
    if (values['outbreak-start'] !== undefined) options.outbreak = { ...options.outbreak, start: values['outbreak-start'] };
    const extra = numberOption(values['outbreak-extra'], 'outbreak-extra');
    if (extra !== undefined) options.outbreak = { ...options.outbreak, extraPerWeek: extra };
  }
  const history = generateSyntheticHistory(options);
  const summary = {
    cases: history.cases.length,
    patients: history.patients.length,
    from: history.options.start,
    to: history.end,
    seed: history.options.seed,
    outbreak: history.outbreak,
  };

  if (values.jsonl !== undefined) {
    mkdirSync(dirname(values.jsonl), { recursive: true });
    writeFileSync(
      values.jsonl,
      toConfirmedCases(history)
        .map((c) => JSON.stringify(c))
        .join('\n') + '\n',
    );
    return { ...summary, jsonl: values.jsonl };
  }
  const dbPath = values.db ?? (values['data-dir'] !== undefined ? databasePathIn(values['data-dir']) : undefined);
  if (dbPath === undefined) throw new SyntheticHistoryUsageError('give --data-dir DIR, --db PATH or --jsonl FILE');
  const passphrase = env['LANTERN_PASSPHRASE'];
  if (!passphrase) throw new SyntheticHistoryUsageError('set LANTERN_PASSPHRASE (the database passphrase)');
  const session = new LanternSession({ dbPath });
  try {
    let created = false;
    if (session.isInitialised()) await session.unlock(passphrase, values.login);
    else {
      await session.setup(values.name ?? 'Synthetic Clinic Admin', passphrase, values.login);
      created = true;
    }
    const { store, user } = session.require();
    const written = writeSyntheticHistory(store, history, user.id);
    return { ...summary, ...written, dbPath, created };
  } finally {
    session.lock();
  }
}

if (require.main === module) {
  runSyntheticHistoryScript(process.argv.slice(2)).then(
    (summary) => process.stdout.write(`${JSON.stringify(summary)}\n`),
    (err: unknown) => {
      console.error(`synthetic history: ${err instanceof Error ? err.message : String(err)}`);
      process.exit(err instanceof SyntheticHistoryUsageError ? 2 : 1);
    },
  );
}
