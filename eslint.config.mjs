// Lint: type-aware rules everywhere; under workflows/ the determinism guard of Temporal's samples.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const DOMAIN_LAYER = [
  { group: ['**/api/**', '**/api', '**/workflows/**', '**/worker/**'], message: 'domain/ sits below the API, the workflows and the worker: it must not import them.' },
  { group: ['@temporalio/*'], message: 'domain/ must not depend on the Temporal SDK.' },
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'admin-ui/dist/**', '.data/**', 'test-artifacts/**', '**/*.js', '**/*.mjs', 'admin-ui/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Workflow code is replayed: no I/O, no Node built-ins, no clocks or randomness of its own.
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [...builtinModules, ...builtinModules.map((m) => `node:${m}`)].map((name) => ({ name, message: 'Workflows must be deterministic: no Node built-ins.' })) },
      ],
      'no-restricted-globals': ['error', 'setTimeout', 'setInterval', 'fetch'],
    },
  },
  {
    // Layering: the domain never reaches up into the API, the workflows, the worker or the Temporal SDK.
    files: ['domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: DOMAIN_LAYER }],
    },
  },
  {
    // The process rules are pure: they import only each other and zod (no I/O, no database, no Node built-ins),
    // so the workflow sandbox and the console's bundle can both load them.
    files: ['domain/process/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...builtinModules, ...builtinModules.map((m) => `node:${m}`)].map((name) => ({ name, message: 'domain/process is pure: no Node built-ins.' })),
          // zod (payload shapes) is the one library allowed: pure, deterministic, no Node built-ins.
          patterns: [...DOMAIN_LAYER, { regex: '^(?!\\./|zod$)', message: 'domain/process is pure: it imports only its own files (./…) and zod.' }],
        },
      ],
    },
  },
);
