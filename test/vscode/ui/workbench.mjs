// Drives the VS Code workbench in Chromium (playwright-core) like a user, for the UI flows
// (test/vscode/ui/*.ui.mjs) that scripts/e2e/run.mjs runs against code-server.
// A flow is `export default async function (ui) { await ui.step('…', async () => { … }); … }`; each step
// is timed, asserted, screenshotted (test-results/ui/<flow>-<nn>-<step>.png) and reported in the summary.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';

const STEP_TIMEOUT_MS = 45_000;

/** Thrown by a critical step's failure: the rest of the flow cannot run. */
class FlowAborted extends Error {}

const slug = (s) => s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60);
/** Monaco renders spaces as U+00A0 and may insert zero-width characters. */
const normalize = (s) => s.replace(/\u00a0/g, ' ').replace(/[\u200b-\u200d\ufeff]/g, '');

export class UiSession {
  /**
   * @param {{ page: import('playwright-core').Page, name: string, url: string, workspace: string,
   *           screenshotsDir: string, log: (m: string) => void }} options
   */
  constructor({ page, name, url, workspace, screenshotsDir, log }) {
    this.page = page;
    this.name = name;
    this.url = url;
    this.workspace = workspace;
    this.screenshotsDir = screenshotsDir;
    this.log = log;
    /** @type {{ name: string, ok: boolean, seconds: string, detail?: string, screenshot?: string }[]} */
    this.results = [];
    this.aborted = false;
    fs.mkdirSync(screenshotsDir, { recursive: true });
  }

  /**
   * Runs one step of the flow with a timeout, records it and saves a screenshot.
   * A failing `critical` step stops the flow (later steps could only fail for the same reason).
   */
  async step(name, fn, { critical = false, timeoutMs = STEP_TIMEOUT_MS } = {}) {
    if (this.aborted) return;
    const started = Date.now();
    let timer;
    let error;
    try {
      await Promise.race([
        fn(),
        new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`step timed out after ${timeoutMs / 1000} s`)), timeoutMs); }),
      ]);
    } catch (e) {
      error = e;
    } finally {
      clearTimeout(timer);
    }
    const screenshot = path.join(this.screenshotsDir, `${this.name}-${String(this.results.length + 1).padStart(2, '0')}-${slug(name)}.png`);
    await this.page.screenshot({ path: screenshot }).catch(() => {});
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    this.results.push({ name, ok: !error, seconds, screenshot, detail: error ? `${error.message ?? error}\n(screenshot ${path.relative(process.cwd(), screenshot)})` : undefined });
    this.log(`${error ? '✘' : '✔'} ${name} (${seconds} s)${error ? `: ${String(error.message ?? error).split('\n')[0]}` : ''}`);
    if (error && critical) {
      this.aborted = true;
      throw new FlowAborted(`critical step failed: ${name}`);
    }
  }

  /** Saves an extra screenshot inside a step (e.g. while a widget is open), next to the step's own. */
  async shot(label) {
    const file = path.join(this.screenshotsDir, `${this.name}-${String(this.results.length + 1).padStart(2, '0')}-${slug(label)}.png`);
    await this.page.screenshot({ path: file });
    return file;
  }

  // ---- The workbench -------------------------------------------------------------------------

  /**
   * Loads the workbench URL and waits until the explorer shows the workspace. With `developmentHost`
   * (the default) it also checks that the payload loaded our extension under development.
   */
  async openWorkbench({ developmentHost = true } = {}) {
    await this.page.goto(this.url, { timeout: 60_000 });
    await this.page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
    await this.page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 60_000 });
    if (!developmentHost) return;
    // The window title names the Extension Development Host when the payload loaded our extension.
    await this.waitFor('the Extension Development Host window', async () => /Extension Development Host/.test(await this.page.title()), 20_000,
      async () => `title "${await this.page.title()}"`);
  }

  /** Polls `probe` (async, truthy = done) every 250 ms; fails with `what` and `describe()` on timeout. */
  async waitFor(what, probe, timeoutMs = 20_000, describe) {
    const deadline = Date.now() + timeoutMs;
    let last;
    for (;;) {
      try {
        last = await probe();
        if (last) return last;
      } catch (e) {
        last = e;
      }
      if (Date.now() > deadline) {
        const seen = describe ? await describe().catch((e) => String(e)) : String(last);
        assert.fail(`timed out after ${timeoutMs / 1000} s waiting for ${what}; last seen: ${seen}`);
      }
      await this.page.waitForTimeout(250);
    }
  }

  /**
   * Opens a workspace file with Quick Open (Ctrl+P) and focuses its editor. The absolute path is typed:
   * Quick Open lists it at once, where a relative one waits for a file search.
   */
  async openFile(relativePath) {
    const base = path.posix.basename(relativePath);
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press('Control+P');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(path.posix.join(this.workspace, relativePath));
    // Quick Open fills its list asynchronously; Enter before then opens nothing.
    await this.waitFor(`Quick Open to list ${relativePath}`, async () => {
      const first = await this.page.locator('.quick-input-list .monaco-list-row').first().innerText().catch(() => '');
      return first.includes(base);
    }, 20_000, async () => (await this.page.locator('.quick-input-list').innerText().catch(() => '')).slice(0, 300));
    await this.page.keyboard.press('Enter');
    // The window title names the active editor ("[Extension Development Host] execution_role.rb - ws - code-server").
    await this.waitFor(`the editor of ${base} to be active`, async () => (await this.page.title()).includes(`${base} - `), 20_000,
      async () => `window title "${await this.page.title()}"`);
    await this.focusEditor();
  }

  /** Clicks into the active text editor. */
  async focusEditor() {
    const lines = this.page.locator('.editor-group-container.active .editor-instance .monaco-editor .view-lines').first();
    await lines.waitFor({ state: 'visible', timeout: 20_000 });
    await lines.click();
  }

  /** The visible text of the active editor (Monaco renders only the visible lines). */
  async editorText() {
    const texts = await this.page.locator('.editor-group-container.active .editor-instance .monaco-editor .view-lines').allInnerTexts();
    return normalize(texts.join('\n'));
  }

  /** The text of the line holding the cursor in the active editor. */
  async currentLineText() {
    const editor = this.page.locator('.editor-group-container.active .editor-instance .monaco-editor').first();
    // Monaco reuses line elements, so their DOM order is not the line order: match the cursor's
    // current-line highlight with the rendered line at the same vertical offset.
    const text = await editor.evaluate((root) => {
      const current = root.querySelector('.view-overlays .current-line');
      const top = current?.parentElement?.style.top;
      const line = [...root.querySelectorAll('.view-lines .view-line')].find((l) => l.style.top === top);
      return line?.textContent ?? null;
    });
    return text === null ? undefined : normalize(text);
  }

  /** Types `text` on a new line at the end of the active editor (auto-closing pairs apply, as for a user). */
  async typeOnNewLastLine(text) {
    await this.focusEditor();
    await this.page.keyboard.press('Control+End');
    await this.page.keyboard.press('End');
    await this.page.keyboard.press('Enter');
    // Enter may auto-indent; Home twice lands at column 1 whatever the indentation.
    await this.page.keyboard.press('Shift+Home');
    await this.page.keyboard.press('Delete');
    await this.page.keyboard.type(text, { delay: 15 });
  }

  /** The rows of the suggest widget (label + details), or [] when it is hidden. */
  async suggestions() {
    const widget = this.page.locator('.editor-widget.suggest-widget.visible');
    if (!(await widget.count())) return [];
    return (await widget.locator('.monaco-list-row').allInnerTexts()).map(normalize);
  }

  /**
   * Waits until the suggest widget lists a row containing `label`, re-triggering it with Ctrl+Space
   * (completion can arrive after the widget first opened with other items, or not open by itself).
   */
  async waitForSuggestion(label, timeoutMs = 25_000) {
    let tries = 0;
    return this.waitFor(`the suggest widget to offer "${label}"`, async () => {
      const rows = await this.suggestions();
      if (rows.some((r) => r.includes(label))) return rows;
      if (tries++ % 8 === 0) {
        await this.page.keyboard.press('Escape');
        await this.page.keyboard.press('Control+Space');
      }
      return false;
    }, timeoutMs, async () => JSON.stringify(await this.suggestions()));
  }

  /**
   * Opens the quick-fix menu at the cursor (Ctrl+.) and waits until it lists `title`; returns that row
   * (a Playwright locator) for the caller to click.
   */
  async openQuickFixes(title) {
    const rows = this.page.locator('.action-widget .monaco-list-row');
    let tries = 0;
    await this.waitFor(`the quick-fix menu to offer "${title}"`, async () => {
      const texts = (await rows.allInnerTexts()).map(normalize);
      if (texts.some((t) => t.includes(title))) return true;
      // The code actions arrive after the diagnostics; ask again if the menu opened without it.
      if (tries++ % 8 === 0) {
        await this.page.keyboard.press('Escape');
        await this.page.keyboard.press('Control+.');
      }
      return false;
    }, 20_000, async () => JSON.stringify((await rows.allInnerTexts()).map(normalize)));
    return rows.filter({ hasText: title }).first();
  }

  /** Runs a command by its title from the Command Palette (F1). */
  async runCommand(title) {
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible', timeout: 10_000 });
    await input.fill(`>${title}`);
    await this.waitFor(`the Command Palette to list "${title}"`, async () => {
      const first = normalize(await this.page.locator('.quick-input-list .monaco-list-row').first().innerText().catch(() => ''));
      return first.includes(title);
    }, 15_000, async () => normalize(await this.page.locator('.quick-input-list').innerText().catch(() => '(empty list)')).slice(0, 400));
    await this.page.keyboard.press('Enter');
  }

  /** Opens the Problems panel and returns its rows' text (`source(code)`, message, position). */
  async problems() {
    if (!(await this.page.locator('.markers-panel').isVisible().catch(() => false))) {
      await this.runCommand('View: Focus Problems');
      await this.page.locator('.markers-panel').waitFor({ state: 'visible', timeout: 10_000 });
    }
    return (await this.page.locator('.markers-panel .monaco-list-row').allInnerTexts()).map(normalize);
  }

  /** Waits until a Problems panel row contains every given string. */
  async waitForProblem(parts, timeoutMs = 25_000) {
    return this.waitFor(`a problem containing ${parts.map((p) => `"${p}"`).join(' and ')}`, async () => {
      const rows = await this.problems();
      return rows.find((r) => parts.every((p) => r.includes(p)));
    }, timeoutMs, async () => JSON.stringify(await this.problems()));
  }

  /**
   * Text shown anywhere in the workbench: editors, and every frame (webviews live in nested iframes).
   * Used to find a preview whatever shape it takes (a virtual document or a webview).
   */
  async allText() {
    const parts = [await this.editorTextAllGroups()];
    for (const frame of this.page.frames()) {
      if (frame === this.page.mainFrame()) continue;
      parts.push(await frame.evaluate(() => document.body?.innerText ?? '').catch(() => ''));
    }
    return normalize(parts.join('\n'));
  }

  async editorTextAllGroups() {
    return normalize((await this.page.locator('.editor-instance .monaco-editor .view-lines').allInnerTexts()).join('\n'));
  }
}
