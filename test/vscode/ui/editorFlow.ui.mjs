// A user's first minutes with the extension, in the real workbench: open the execution role of
// examples/demo, complete a managed policy name, see a problem reported, fix it from the light bulb,
// and preview the compiled roles.
import * as assert from 'node:assert/strict';

const ROLE_FILE = '.ufo/iam_roles/execution_role.rb';

/** @param {import('./workbench.mjs').UiSession} ui */
export default async function editorFlow(ui) {
  await ui.step('workbench loads the workspace as an Extension Development Host', () => ui.openWorkbench(), { critical: true });

  await ui.step(`open ${ROLE_FILE}`, () => ui.openFile(ROLE_FILE), { critical: true });

  await ui.step('the extension is active on it: the CodeLens "Preview compiled ExecutionRole" shows', async () => {
    await ui.waitFor('the CodeLens of the language server', async () =>
      (await ui.page.locator('.editor-group-container.active .codelens-decoration').allInnerTexts()).some((t) => t.includes('Preview compiled ExecutionRole')),
    30_000, async () => JSON.stringify(await ui.page.locator('.codelens-decoration').allInnerTexts()));
  });

  await ui.step('the status bar names the UFO version and the apply target of the file\'s project', async () => {
    await ui.waitFor('the UFO IAM status bar item', async () =>
      (await ui.page.locator('.statusbar-item').allInnerTexts()).some((t) => /UFO v5 · stack/.test(t)),
    20_000, async () => JSON.stringify(await ui.page.locator('.statusbar-item').allInnerTexts()));
  });

  await ui.step('completion offers service-role/AmazonECSTaskExecutionRolePolicy for "AmazonECSTaskEx"', async () => {
    // The whole line, closing quote and parenthesis included: with auto-closing they are typed through,
    // without it they are typed, so the line is the same either way; then the cursor goes back into the string.
    await ui.typeOnNewLastLine('managed_iam_policy("AmazonECSTaskEx")');
    await ui.page.keyboard.press('Escape');
    await ui.page.keyboard.press('ArrowLeft');
    await ui.page.keyboard.press('ArrowLeft');
    await ui.waitForSuggestion('service-role/AmazonECSTaskExecutionRolePolicy');
    await ui.shot('suggest widget');
    await ui.page.keyboard.press('Enter');
    // Accepting must write the full name (with its path) into the string the user was typing.
    await ui.waitFor('the accepted name on the typed line', async () =>
      (await ui.currentLineText())?.trim() === 'managed_iam_policy("service-role/AmazonECSTaskExecutionRolePolicy")', 10_000,
    async () => `current line: ${await ui.currentLineText()}`);
  });

  await ui.step('the Problems panel reports a misspelt DSL method (UNKNOWN_DSL_METHOD)', async () => {
    await ui.typeOnNewLastLine('iam_polcy("Typo", Action: ["s3:GetObject"], Effect: "Allow", Resource: "*")');
    const row = await ui.waitForProblem(['UNKNOWN_DSL_METHOD']);
    assert.match(row, /iam_polcy|execution_role/, `the problem should point at the typo: ${row}`);
  });

  await ui.step('the light bulb (Ctrl+.) offers "Change to iam_policy" and applies it', async () => {
    await ui.focusEditor();
    await ui.page.keyboard.press('Control+End');
    await ui.page.keyboard.press('Home');
    const row = await ui.openQuickFixes('Change to iam_policy');
    await ui.shot('quick fix menu');
    await row.click();
    await ui.waitFor('the fixed line', async () => (await ui.currentLineText())?.startsWith('iam_policy("Typo"'), 10_000,
      async () => `current line: ${await ui.currentLineText()}`);
  });

  await ui.step('command "UFO: Preview Compiled IAM Roles" shows the compiled JSON', async () => {
    await ui.runCommand('UFO: Preview Compiled IAM Roles');
    await ui.waitFor('the preview to show the ExecutionRole resource', async () => {
      const text = await ui.allText();
      return text.includes('AWS::IAM::Role') && text.includes('ExecutionRole');
    }, 25_000, async () => (await ui.allText()).slice(0, 600));
  });
}
