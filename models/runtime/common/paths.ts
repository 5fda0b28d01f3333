import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * The project root: the nearest folder at or above `start` holding package.json. Works both from
 * TypeScript sources (models/runtime/...) and from compiled output (build/models/runtime/...).
 */
export function findProjectRoot(start: string): string {
  let dir = path.resolve(start);
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json at or above ${start}`);
    dir = parent;
  }
}

/**
 * The committed model artefacts (models/artefacts), found from a file inside it: `models/runtime/x.ts` (sources under vitest)
 * and `build/models/runtime/x.js` (compiled) both resolve to `<project root>/models/artefacts`.
 */
export function resolveModelsDir(fromDir: string): string {
  return path.join(findProjectRoot(fromDir), 'models', 'artefacts');
}

/** Shared data folder: $LANTERN_DATA_DIR, else ../shared/data relative to the project root. */
export function resolveDataDir(fromDir: string): string {
  const env = process.env['LANTERN_DATA_DIR'];
  if (env !== undefined && env !== '') return path.resolve(env);
  return path.resolve(findProjectRoot(fromDir), '..', 'shared', 'data');
}
