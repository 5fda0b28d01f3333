/// <reference types="vitest/config" />
import { builtinModules } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';

const rendererDir = path.dirname(fileURLToPath(import.meta.url));
const electronDir = path.resolve(rendererDir, '../electron');
const nodeBuiltins = new Set(builtinModules);
/** Leaves that import nothing, which the renderer may import as values (eslint.config.js names the same). */
const valueLeaves = new Set(['pixelSpacing.ts', 'redFlagReason.ts', 'clinicalNameCodes.ts'].map((leaf) => path.join(electronDir, 'contract', leaf)));

/**
 * The renderer may use the IPC contract for types only (and the value leaves below). `import type` is erased before Rollup
 * resolves anything, so any import that still reaches electron/ (or a Node builtin) here is a
 * runtime import that would drag zod/Node code into the sandboxed page: fail the build.
 */
function rendererBoundary(): Plugin {
  return {
    name: 'lantern-renderer-boundary',
    enforce: 'pre',
    async resolveId(source, importer, options) {
      if (!importer || importer.includes('/node_modules/')) return null;
      const bare = source.startsWith('node:') ? source.slice(5) : source;
      if (nodeBuiltins.has(bare)) {
        this.error(`renderer must not import Node module "${source}" (from ${importer})`);
      }
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      const file = resolved ? path.resolve(resolved.id) : '';
      if (file.startsWith(electronDir + path.sep) && !valueLeaves.has(file)) {
        this.error(`renderer may only "import type" from electron/ (runtime import of ${source} in ${importer})`);
      }
      return resolved;
    },
  };
}

export default defineConfig({
  root: rendererDir,
  // Relative asset URLs so the same build loads from file:// in Electron and from the loopback host.
  base: './',
  plugins: [rendererBoundary(), react()],
  build: {
    outDir: path.resolve(rendererDir, '../build/renderer'),
    emptyOutDir: true,
    // The polyfill is an inline script, which the CSP forbids; Electron's Chromium needs none.
    modulePreload: { polyfill: false },
    target: 'es2022',
  },
  test: {
    environment: 'node',
    include: ['src/**/*.test.ts'],
  },
});
