/**
 * Test support: the CLI in-process (same code as the `lantern` bin) in a temporary folder, with the
 * passphrase from the environment as documented and stdout and stderr captured. Registers its own
 * beforeEach/afterEach, so a test file calls it once at the top.
 */
import { afterEach, beforeEach, vi } from 'vitest';
import { makeTempDir } from '../../../db/testing/tmpStore';

export interface CliCapture {
  /** This test's temporary folder. */
  dir: string;
  /** What the CLI wrote to stdout, as bytes (a PDF is binary); set to [] to read only what follows. */
  out: Buffer[];
  err: string[];
  /** stdout as JSON lines, one object each. */
  lines: () => Record<string, unknown>[];
}

export function captureCli(passphrase = 'clinic passphrase'): CliCapture {
  let cleanup = () => {};
  const cli: CliCapture = {
    dir: '',
    out: [],
    err: [],
    lines: () =>
      Buffer.concat(cli.out)
        .toString('utf8')
        .trim()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
  beforeEach(() => {
    ({ dir: cli.dir, cleanup } = makeTempDir());
    cli.out = [];
    cli.err = [];
    // Reports each write as flushed, as a real stream would once the bytes are out.
    vi.spyOn(process.stdout, 'write').mockImplementation(((chunk: string | Uint8Array, ...rest: unknown[]) => {
      cli.out.push(Buffer.from(chunk));
      const done = rest.find((r) => typeof r === 'function') as ((e?: Error | null) => void) | undefined;
      done?.(null);
      return true;
    }) as typeof process.stdout.write);
    vi.spyOn(process.stderr, 'write').mockImplementation(((chunk: string | Uint8Array) => {
      cli.err.push(String(chunk));
      return true;
    }) as typeof process.stderr.write);
    vi.stubEnv('LANTERN_PASSPHRASE', passphrase);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
    cleanup();
  });
  return cli;
}
