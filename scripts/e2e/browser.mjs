// Launches Debian's Chromium through playwright-core (which never downloads a browser here).
import { chromium } from 'playwright-core';
import { findChromium } from './bootstrap.mjs';
import { onShutdown } from './processes.mjs';

/**
 * Launches headless Chromium. The browser is closed by the runner's shutdown hooks, and playwright's
 * own 'exit' hook kills its process group if the runner dies first; its signal handlers are disabled
 * because processes.mjs owns SIGINT/SIGTERM (it also has code-server to stop).
 */
export async function launchChromium() {
  const browser = await chromium.launch({
    executablePath: findChromium(),
    headless: true,
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    timeout: 60_000,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
      '--disable-component-update', '--no-first-run', '--disable-default-apps'],
  });
  onShutdown(() => browser.close().catch(() => {}));
  return browser;
}
