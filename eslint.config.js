// @ts-check
// ESLint: typescript-eslint's type-checked rules on the TypeScript project, and the import boundaries
// of DESIGN.md §6. Runs in `npm test`.
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const FAMILIES = ['mozpool', 'vmpooler', 'drydock', 'commissaire', 'lbaas'];
const CORE_WITH_IO = ['store', 'actors', 'hardware', 'http', 'lab', 'projections'];
const NODE_BUILTINS = builtinModules.filter((name) => !name.includes('/'));
const IO_PACKAGES = [...NODE_BUILTINS, 'koa', '@koa/[^/]+', 'pino', 'pino-[^/]+', 'net-snmp', 'snmp-native', 'tftp'];

// Import strings are matched as written, not resolved, by regular expressions: gitignore-style
// patterns would also match a folder of ours that shares a package's name (`domain`, `events`).
// A package import is its name, optionally with a subpath; a relative import climbs with `../` and
// then names the folder it enters, so `^(\.\./)+folder/` catches it from any depth.
const packages = (names) => `^(${names.join('|')})(/.*)?$`;
const climbsInto = (folders) => `^(\\.\\./)+(${folders.join('|')})(/|$)`;

const NACT = { regex: packages(['nact']), message: 'Only src/actors/runtime.ts imports nact.' };
const STORE_CLIENTS = {
  regex: packages(['@eventstore/db-client', 'better-sqlite3', '@grpc/grpc-js']),
  message: 'Only src/store/ imports the store clients.',
};
const IO = { regex: `^node:|${packages(IO_PACKAGES)}`, message: 'A domain folder imports nothing with I/O.' };
const CORE = { regex: climbsInto(CORE_WITH_IO), message: `A domain folder imports nothing from src/{${CORE_WITH_IO.join(',')}}.` };
const otherFamilies = (family) => ({
  regex: climbsInto(['(dialects/)?' + `(${FAMILIES.filter((other) => other !== family).join('|')})`]),
  message: `A family imports the core, never another family (this file is in src/dialects/${family}/).`,
});
const restrict = (files, ignores, patterns) => ({ files, ignores, rules: { 'no-restricted-imports': ['error', { patterns }] } });

// A file gets the rule from the last block that matches it (flat config does not merge rule options),
// so each block lists every restriction its files are under.
const boundaries = [
  restrict(['**/*.{ts,js,mjs}'], ['src/store/**', 'src/actors/runtime.ts', 'test/**', 'bench/**'], [NACT, STORE_CLIENTS]),
  // Tests (the EventStoreDB emulator) and benchmarks (raw better-sqlite3 as a baseline) may use the store clients.
  restrict(['src/store/**', 'test/**', 'bench/**'], [], [NACT]),
  restrict(['src/actors/runtime.ts'], [], [STORE_CLIENTS]),
  restrict(['src/**/domain/**'], [], [NACT, STORE_CLIENTS, IO, CORE]),
  ...FAMILIES.flatMap((family) => [
    restrict([`src/dialects/${family}/**`], [], [NACT, STORE_CLIENTS, otherFamilies(family)]),
    restrict([`src/dialects/${family}/**/domain/**`], [], [NACT, STORE_CLIENTS, IO, CORE, otherFamilies(family)]),
  ]),
];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '**/data/**', 'test-results/**', 'scratch/**', 'bench/results.json'] },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked, tseslint.configs.stylisticTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // Object shapes stay type aliases where they must be assignable to Json or Record<string, …>
      // (interfaces get no implicit index signature); ports and message types are interfaces.
      '@typescript-eslint/consistent-type-definitions': 'off',
      // An async method with no await is how a Promise-returning port is implemented: it turns a throw
      // into a rejection, which dropping `async` would not.
      '@typescript-eslint/require-await': 'off',
      // record['key'] on an index signature says the key may be missing.
      '@typescript-eslint/dot-notation': ['error', { allowIndexSignaturePropertyAccess: true }],
      // `_name` marks a binding kept for its position or to drop a key from a rest object.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      // `text || fallback` replaces the empty string too, on purpose.
      '@typescript-eslint/prefer-nullish-coalescing': ['error', { ignorePrimitives: { string: true } }],
      // node:test's describe/it/test return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': ['error', { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite'] }] }],
    },
  },
  {
    // Tests read HTTP and log JSON as `any` and let their assertions check its shape.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // Node scripts and this file: outside the TypeScript project, so untyped rules only.
    files: ['**/*.js', '**/*.mjs'],
    ignores: ['src/http/ui/static/**'],
    extends: [js.configs.recommended],
    languageOptions: { globals: globals.node },
  },
  {
    // The dashboard: plain browser modules served as they are, not part of the TypeScript project.
    files: ['src/http/ui/static/**/*.js'],
    extends: [js.configs.recommended],
    languageOptions: { globals: globals.browser },
  },
  ...boundaries,
);
