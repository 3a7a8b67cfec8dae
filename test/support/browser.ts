import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/**
 * Headless Chromium from the system (scripts/ensure-chromium.sh finds or installs it and `npm test`
 * passes it as CHROMIUM_PATH; Playwright's own browser download does not reach these machines).
 * `--no-sandbox` because CI and the dev machines run as root, where Chromium's sandbox will not start.
 */
export async function launchChromium(): Promise<Browser> {
  const executablePath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (!existsSync(executablePath)) {
    throw new Error(`No Chromium at ${executablePath}: run the tests with npm test, which installs it, or install Debian's chromium`);
  }
  return chromium.launch({ executablePath, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}
