// Lint: typescript-eslint's type-checked rules plus the package boundaries from ARCHITECTURE.md.
// Each boundary message says why, so that whoever trips it knows what to do instead.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Which workspace packages each package may import (ARCHITECTURE.md, "Packages"). */
const allowedDeps = {
  protocol: [],
  sigma: [],
  evtx: [],
  core: ['sigma', 'protocol'],
  ingest: ['evtx', 'protocol'],
  storage: ['core', 'protocol', 'sigma'],
  agent: ['ingest', 'protocol', 'evtx'],
  lab: ['agent', 'protocol', 'ingest', 'evtx'],
  server: ['core', 'storage', 'protocol', 'sigma', 'evtx', 'ingest'],
  web: ['protocol', 'sigma'],
  cli: ['core', 'storage', 'protocol', 'sigma', 'evtx', 'ingest', 'server', 'agent', 'lab'],
};
const allPackages = Object.keys(allowedDeps);
const purePackages = new Set(['sigma', 'evtx', 'protocol', 'web']);

function boundaryRules(pkg) {
  const forbidden = allPackages.filter((p) => p !== pkg && !allowedDeps[pkg].includes(p));
  const paths = [];
  const patterns = [];
  if (pkg !== 'storage') {
    paths.push(
      {
        name: 'kysely',
        message: 'Only packages/storage talks SQL: add a repository method there.',
      },
      { name: 'pg', message: 'Only packages/storage talks SQL: add a repository method there.' },
    );
  }
  if (pkg !== 'server') {
    paths.push({ name: 'fastify', message: 'Only packages/server speaks HTTP.' });
  }
  if (forbidden.length > 0) {
    patterns.push({
      group: forbidden.map((p) => `@cordon/${p}`),
      message: `Dependencies point inward: ${pkg} may import only ${allowedDeps[pkg].join(', ') || 'no other Cordon package'} (ARCHITECTURE.md).`,
    });
  }
  if (purePackages.has(pkg)) {
    patterns.push({
      group: ['node:*'],
      message: `${pkg} is pure (it also runs in a browser): no node:* imports; take bytes or callbacks from the caller.`,
    });
  }
  if (pkg === 'core') {
    patterns.push({
      group: ['node:*', '!node:crypto'],
      message: 'core does no I/O: define a port and implement it in storage or server.',
    });
  }
  return { 'no-restricted-imports': ['error', { paths, patterns }] };
}

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/dist/**', 'data/**', '**/*.d.ts'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'separate-type-imports' },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/require-await': 'off',
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.test.ts', '**/test/**', '**/bench/**'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  ...allPackages.map((pkg) => ({
    files: [`packages/${pkg}/src/**/*.ts`, `packages/${pkg}/src/**/*.tsx`],
    rules: boundaryRules(pkg),
  })),
  {
    // Plain JavaScript (this file, launchers) is not part of the TypeScript program.
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      parserOptions: { projectService: false, project: false },
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly' },
    },
  },
  {
    // Tests may read fixtures from disk and wire packages together; the shipped code may not.
    files: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.ts', 'packages/*/bench/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
);
