// ESLint flat config. Prettier owns formatting (the recommended sets below hold no layout rules),
// so ESLint only checks correctness, React hooks and the import arrows of ../shared/ARCHITECTURE.md:
//   renderer -> contract <- electron (shell, host, cli) -> app -> (db, models)
const { builtinModules } = require('node:module');
const js = require('@eslint/js');
const globals = require('globals');
const reactHooks = require('eslint-plugin-react-hooks');
const tseslint = require('typescript-eslint');
const { defineConfig } = require('eslint/config');

/** The only files that may import `electron` (the shell). */
const shellFiles = [
  'electron/shell/**/*.ts',
  // Resolves the Electron binary's path (the package's main export) for the launcher.
  'electron/launcher/electronBinary.ts',
];
const appFiles = ['electron/app/**/*.ts'];
const rendererFiles = ['renderer/src/**/*.{ts,tsx}'];
const rendererTestFiles = ['renderer/src/**/*.test.{ts,tsx}'];

const ourTopFolders = 'electron|renderer|db|models|bench|e2e|bin';
/** A relative import that climbs out of the importing file's top-level folder into another of ours. */
const outOfFolder = (folders) => `^${clinicalTypesLeaf}(\\.\\./)+(${folders})(/|$)`;

const noElectron = { name: 'electron', message: 'Only the shell (main, preload, windowSecurity, ipcRegistration) imports electron.' };
const nodeBuiltins = {
  regex: `^(node:|(${builtinModules.join('|')})(/|$))`,
  message: 'The renderer is sandboxed web code: no Node modules (reach the app through the contract).',
};

/**
 * Clinical types (vital codes, ranges, flags, sex) are declared once in a leaf that imports nothing;
 * the contract, db and models all read it, so it is the one file outside their rooms they may import.
 * A red flag's reason (its parts and their sentences per language) is the second such leaf.
 */
const clinicalTypesLeaf = '(?!.*models/runtime/(vocab/clinicalTypes|rules/redFlagReason)$)';

/** One no-restricted-imports setting per room (a later match replaces an earlier one, so each is whole). */
function boundary(patterns, paths = [noElectron]) {
  return { '@typescript-eslint/no-restricted-imports': ['error', { paths, patterns }] };
}

module.exports = defineConfig(
  {
    ignores: [
      'build/**',
      'node_modules/**',
      'dist/**',
      'e2e/test-results/**',
      'e2e/playwright-report/**',
      // Vendored unchanged from the electron package (see electron/shell/types/README.md).
      'electron/shell/types/electron.d.ts',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.node } },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `_`-prefixed parameters and rest siblings are deliberately unused (fixed signatures, omitting a key).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true, caughtErrors: 'none' }],
      ...boundary([]),
    },
  },
  {
    files: ['db/**/*.ts'],
    rules: boundary([{ regex: outOfFolder(ourTopFolders.replace('db|', '')), message: 'db/ imports nothing of ours outside db/.' }]),
  },
  {
    files: ['models/**/*.ts'],
    rules: boundary([{ regex: outOfFolder(ourTopFolders.replace('|models', '')), message: 'models/ imports nothing of ours outside models/runtime/.' }]),
  },
  {
    files: ['models/runtime/**/*.ts'],
    // Tests may check the runtime against the training code that made its artefacts.
    ignores: ['**/*.test.ts'],
    rules: boundary([
      { regex: outOfFolder(ourTopFolders.replace('|models', '')), message: 'models/ imports nothing of ours outside models/runtime/.' },
      { regex: '^(\\.\\./)+training(/|$)', message: 'The runtime never imports training code.' },
    ]),
  },
  {
    files: ['electron/contract/**/*.ts'],
    rules: boundary([
      { regex: `^${clinicalTypesLeaf}\\.\\./`, message: 'The contract imports nothing of ours but the shared leaves (clinical types, red-flag reasons).' },
    ]),
  },
  {
    files: appFiles,
    // Tests may drive a use case through the CLI or the host that carries it.
    ignores: ['**/*.test.ts'],
    rules: boundary([
      { regex: outOfFolder('renderer|e2e|bench|bin'), message: 'The app (use cases) never reaches the UI, tests or tools.' },
      {
        regex: '^(\\.\\./)+(shell|host|cli|launcher)(/|$)',
        message: 'The app is called by the shell, host and CLI, never the other way round.',
      },
    ]),
  },
  {
    files: rendererFiles,
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.flat.recommended.rules,
      ...boundary([
        {
          // pixelSpacing, redFlagReason and clinicalNameCodes are leaves: the app and the UI read a header, word a red flag
          // and name a code the same way.
          regex: '^(\\.\\./)+electron/contract/(?!(pixelSpacing|redFlagReason|clinicalNameCodes)$)',
          allowTypeImports: true,
          message: 'The renderer imports the contract for its types only (zod stays out of the bundle).',
        },
        { regex: '^(\\.\\./)+(electron/(?!contract/)|(db|models|bench|e2e|bin)(/|$))', message: 'The renderer reaches the app only through the contract.' },
        nodeBuiltins,
      ]),
    },
  },
  {
    // Unit tests run in Node and check the renderer's tables against the models' own data files.
    files: rendererTestFiles,
    languageOptions: { globals: { ...globals.node } },
    rules: boundary([
      { regex: '^(\\.\\./)+electron/contract/', allowTypeImports: true, message: 'The renderer imports the contract for its types only.' },
      { regex: '^(\\.\\./)+(electron/(?!contract/)|(db|bench|e2e|bin)(/|$))', message: 'The renderer reaches the app only through the contract.' },
      { regex: '^(\\.\\./)+models/(?!.*\\.json$)', message: 'Renderer tests may read the models’ JSON data, not their code.' },
    ]),
  },
  {
    files: shellFiles,
    rules: boundary([{ regex: outOfFolder('renderer|e2e|bench|bin'), message: 'The shell reaches the renderer only through the contract.' }], []),
  },
);
