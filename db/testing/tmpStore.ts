/** Test support: a fresh directory per test, and a cheap KDF so suites don't spend minutes in scrypt. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ScryptParams } from '../keyring';

export const testKdf: ScryptParams = { name: 'scrypt', N: 2 ** 10, r: 8, p: 1 };

export function makeTempDir(prefix = 'lantern-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
