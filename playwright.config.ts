import { defineConfig } from '@playwright/test';
import { makeTempStateDir } from './lib/db/embedded.ts';

// A fresh demo installation for every run: its own state folder (database, secret).
// Workers inherit this variable, so they all find the same database-url file.
process.env.FEEDLOOP_E2E_STATE_DIR ??= makeTempStateDir('feedloop-e2e-');
const port = Number(process.env.FEEDLOOP_E2E_PORT ?? 3100);

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? 'list' : [['list']],
  use: {
    baseURL: `http://localhost:${port}`,
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  webServer: {
    // The suite builds once (npm run test:e2e), then serves that build in demo mode.
    command: 'npx tsx scripts/start.ts --no-build --ephemeral',
    // SIGTERM lets the start script stop Postgres and remove the test database.
    gracefulShutdown: { signal: 'SIGTERM', timeout: 15_000 },
    url: `http://localhost:${port}/api/health`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'pipe',
    env: {
      PORT: String(port),
      FEEDLOOP_STATE_DIR: process.env.FEEDLOOP_E2E_STATE_DIR,
      NEXT_TELEMETRY_DISABLED: '1',
    },
  },
});
