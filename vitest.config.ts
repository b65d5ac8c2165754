// The same suite runs once per backend: project "pglite" (embedded, in memory) always, and
// project "postgres" when TEST_DATABASE_URL names a server (npm test starts a throwaway one).
// Files named *.pg.test.ts need several connections or a server and run on Postgres only;
// *.pglite.test.ts are about the embedded product (its data folder) and run on PGlite only.
import { defineConfig } from 'vitest/config';

const serverUrl = process.env.TEST_DATABASE_URL;

const shared = {
  include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
  testTimeout: 60_000,
  hookTimeout: 120_000,
};

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...shared,
          name: 'pglite',
          exclude: ['**/*.pg.test.ts', '**/node_modules/**'],
          env: { NIGHTSHIFT_TEST_DB: 'pglite' },
        },
      },
      ...(serverUrl
        ? [
            {
              test: {
                ...shared,
                name: 'postgres',
                exclude: ['**/*.pglite.test.ts', '**/node_modules/**'],
                globalSetup: ['test/support/postgres-global-setup.ts'],
                env: { NIGHTSHIFT_TEST_DB: 'postgres' },
              },
            },
          ]
        : []),
    ],
  },
});
