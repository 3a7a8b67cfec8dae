/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    // Type checking is `tsc`'s job in `npm test`; here the sources are only transpiled.
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
  },
  moduleNameMapper: {
    // The generated Prisma client imports its TypeScript siblings with ESM-style `.js` names.
    '^(\\.{1,2}/.*)\\.js$': '$1',
    // The package's subpath imports (package.json "imports") point Node at dist/; Jest runs the sources.
    '^#(activities|domain|lib|queries|workflows)(/.*)?$': '<rootDir>/$1$2',
  },
  // Compiled by scripts/setup.sh: global setup runs outside Jest's module mapping.
  globalSetup: '<rootDir>/dist/scripts/test-stack/global-setup.js',
  globalTeardown: '<rootDir>/dist/scripts/test-stack/global-teardown.js',
  testTimeout: 120_000,
};
