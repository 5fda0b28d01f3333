/**
 * Test support: lets a child `node` process require this repo's TypeScript sources directly
 * (`node -r db/testing/tsRequireHook.cjs script.ts`), transpiled with the project's own TypeScript,
 * so fault-injection tests can kill a real writer process without depending on a fresh `build/`.
 * Transpiled files are cached by content hash in the temp folder: later children start faster.
 */
'use strict';
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const crypto = require('node:crypto');

const extensions = require('node:module')._extensions;
const cacheDir = path.join(os.tmpdir(), 'lantern-ts-require-cache');
let ts = null;

function transpile(source, filename) {
  ts ??= require('typescript');
  return ts.transpileModule(source, {
    fileName: filename,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2022,
      esModuleInterop: true,
      resolveJsonModule: true,
      inlineSourceMap: true,
    },
  }).outputText;
}

function compileTypeScript(module, filename) {
  const source = fs.readFileSync(filename, 'utf8');
  const key = crypto.createHash('sha256').update(filename).update('\0').update(source).digest('hex');
  const cached = path.join(cacheDir, `${key}.js`);
  let output;
  try {
    output = fs.readFileSync(cached, 'utf8');
  } catch {
    output = transpile(source, filename);
    try {
      fs.mkdirSync(cacheDir, { recursive: true });
      const tmp = `${cached}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, output);
      fs.renameSync(tmp, cached);
    } catch {
      // The cache only saves time; a read-only temp folder (or another user's cache) is fine.
    }
  }
  module._compile(output, filename);
}

// `.ts` first: `require('./clinicalCatalogue')` must find clinicalCatalogue.ts, not the .json beside it.
const others = Object.entries(extensions);
for (const [ext] of others) delete extensions[ext];
extensions['.ts'] = compileTypeScript;
for (const [ext, loader] of others) extensions[ext] = loader;
