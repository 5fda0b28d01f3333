/**
 * electron-builder.yml: valid against electron-builder's own schema (where app-builder-lib is
 * installed), and the package holds the app, its models and native modules (outside the asar),
 * never tests, benches, training scripts or fixtures. What the package holds is computed from the
 * repository tree without electron-builder: the `files` globs in order (a later `!pattern` removes
 * what an earlier one added, as electron-builder's matcher does), plus the build/ outputs tsc and
 * vite will write.
 */
import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import picomatch from 'picomatch';

interface BuilderConfig {
  files: string[];
  asarUnpack: string[];
  [key: string]: unknown;
}

function readBuilderConfig(projectRoot: string): BuilderConfig {
  return parse(readFileSync(join(projectRoot, 'electron-builder.yml'), 'utf8')) as BuilderConfig;
}

/** A matcher for an ordered glob list: the last pattern that matches decides. */
function orderedGlobs(patterns: readonly string[]): (path: string) => boolean {
  const rules = patterns.map((p) => {
    const exclude = p.startsWith('!');
    return { exclude, match: picomatch(exclude ? p.slice(1) : p, { dot: true }) };
  });
  return (path) => {
    let included = false;
    for (const rule of rules) if (rule.match(path)) included = !rule.exclude;
    return included;
  };
}

/** Tracked files, plus the outputs `npm run build` derives from them (tsc: .js and .js.map per .ts). */
function repositoryTree(projectRoot: string): string[] {
  const tracked = execFileSync('git', ['ls-files', '-z'], { cwd: projectRoot, encoding: 'utf8' }).split('\0').filter(Boolean);
  const tsconfig = JSON.parse(readFileSync(join(projectRoot, 'tsconfig.json'), 'utf8')) as { include: string[]; exclude: string[] };
  const compiled = orderedGlobs([...tsconfig.include, ...tsconfig.exclude.map((e) => `!${e.includes('*') ? e : `${e}/**`}`)]);
  const outputs = tracked
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && compiled(f))
    .flatMap((f) => [`build/${f.slice(0, -3)}.js`, `build/${f.slice(0, -3)}.js.map`]);
  // vite's output: the page and its hashed assets.
  return [...tracked, ...outputs, 'build/renderer/index.html', 'build/renderer/assets/index.js', 'build/renderer/assets/index.css'];
}

function packagedFiles(projectRoot: string, config: BuilderConfig = readBuilderConfig(projectRoot)): string[] {
  const selected = orderedGlobs(config.files);
  return repositoryTree(projectRoot).filter(selected).sort();
}

const projectRoot = join(__dirname, '..', '..', '..');
const schemaPath = join(projectRoot, 'node_modules', 'app-builder-lib', 'scheme.json');
const config = readBuilderConfig(projectRoot);
const files = packagedFiles(projectRoot, config);

/** Every artefact, card and companion file the model manifests name (paths relative to models/artefacts/). */
function manifestFiles(): string[] {
  const found: string[] = [];
  const walk = (value: unknown, key = ''): void => {
    if (typeof value === 'string' && (key === 'artefact' || key === 'card' || key === 'path')) found.push(`models/artefacts/${value}`);
    else if (Array.isArray(value)) value.forEach((v) => walk(v, key === 'files' ? 'path' : key));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, k);
  };
  for (const manifest of ['models/artefacts/manifest.json']) {
    walk(JSON.parse(readFileSync(join(projectRoot, manifest), 'utf8')));
  }
  return [...new Set(found)].filter((f) => /\.(json|onnx|bin|md|txt)$/.test(f));
}

describe('electron-builder.yml', () => {
  it.skipIf(!existsSync(schemaPath))(
    "validates against electron-builder's config schema (app-builder-lib/scheme.json; skipped: electron-builder is not installed here)",
    () => {
      const ajv = new Ajv({ strict: false, allErrors: true });
      const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')) as object);
      expect(validate(config) ? [] : validate.errors).toEqual([]);
    },
  );

  it('packages the app: main, preload, renderer, the package manifest and every model file the manifests name', () => {
    for (const f of [
      'build/electron/shell/main.js',
      'build/electron/shell/preload.js',
      'build/electron/shell/windowSecurity.js',
      'build/db/openDatabase.js',
      'build/renderer/index.html',
      'package.json',
    ]) {
      expect(files).toContain(f);
    }
    const models = manifestFiles();
    expect(models.length).toBeGreaterThan(10);
    expect(models.filter((f) => !files.includes(f))).toEqual([]);
    expect(files).toContain('models/artefacts/manifest.json');
  });

  it('leaves out tests, benches, training scripts, fixtures, sources and e2e', () => {
    const forbidden = files.filter(
      (f) =>
        /\.test\.|\/testing\/|(^|\/)bench\/|\/training\/|fixture|EvalSet|(^|\/)e2e\//.test(f) ||
        /\.(ts|tsx|py|cjs|dcm)$/.test(f) ||
        !/^(build\/|models\/|package\.json$)/.test(f),
    );
    expect(forbidden).toEqual([]);
  });

  it('unpacks the native modules (both SQLCipher builds, onnxruntime) from the asar archive, and keeps them in the package', () => {
    const unpacked = orderedGlobs(config.asarUnpack);
    const included = orderedGlobs(config.files);
    for (const f of [
      'node_modules/better-sqlite3-multiple-ciphers/build/Release/better_sqlite3.node',
      'node_modules/better-sqlite3-multiple-ciphers/build-electron/Release/better_sqlite3.node',
      'node_modules/onnxruntime-node/bin/napi-v6/linux/x64/onnxruntime_binding.node',
      'node_modules/onnxruntime-node/bin/napi-v6/linux/x64/libonnxruntime.so.1',
    ]) {
      expect(included(f), f).toBe(true);
      expect(unpacked(f), f).toBe(true);
    }
    expect(config['npmRebuild']).toBe(false);
  });
});
