// Restricted Mode, as a user who opens a cloned repository without trusting it gets it: the packaged extension (the
// .vsix, installed as a user installs it; an extension under development would be exempt from workspace trust) in a
// workbench with workspace trust on. The checks and the preview work; Apply and Update ARNs refuse with a message that
// says why, and change nothing.
import * as fs from 'node:fs';
import * as path from 'node:path';

const TASK_ROLE = '.ufo/iam_roles/task_role.rb';
const TEMPLATE = '.ufo/templates/main.json.erb';

/** @param {import('../ui/workbench.mjs').UiSession} ui */
export default async function restrictedFlow(ui) {
  const templateBefore = fs.readFileSync(path.join(ui.workspace, TEMPLATE), 'utf8');
  await ui.step('the workbench opens the workspace in Restricted Mode', async () => {
    await ui.openWorkbench({ developmentHost: false });
    const statusBar = () => ui.page.locator('.part.statusbar').innerText().catch(() => '');
    await ui.waitFor('the Restricted Mode indicator in the status bar', async () => /Restricted Mode/.test(await statusBar()), 30_000, statusBar);
  }, { critical: true });

  await ui.step(`open ${TASK_ROLE}: the installed extension checks it (UNKNOWN_DSL_METHOD in the Problems panel)`, async () => {
    await ui.openFile(TASK_ROLE);
    // The server's check of the file as it is on disk first: the preview below shows that last good version's roles.
    // Typed before the server has the file (a first start compiles it without a code cache), the typo would be in the
    // first text it checks, and the preview would rightly have no roles to show (seen once on a new machine).
    await ui.waitFor('the UFO IAM status bar item (the file checked)', async () =>
      (await ui.page.locator('.statusbar-item').allInnerTexts()).some((t) => /UFO v5 · stack/.test(t)),
    30_000, async () => JSON.stringify(await ui.page.locator('.statusbar-item').allInnerTexts()));
    await ui.typeOnNewLastLine('iam_polcy("Typo", Action: ["s3:GetObject"], Effect: "Allow", Resource: "*")');
    await ui.waitForProblem(['UNKNOWN_DSL_METHOD']);
  }, { critical: true });

  await ui.step('"UFO: Preview Compiled IAM Roles" shows the compiled JSON', async () => {
    await ui.runCommand('UFO: Preview Compiled IAM Roles');
    await ui.waitFor('the preview', async () => (await ui.allText()).includes('AWS::IAM::Role'), 25_000, async () => (await ui.allText()).slice(0, 600));
  });

  for (const [command, what] of [
    ['UFO: Apply IAM Roles', 'applying IAM roles'],
    ['UFO: Update Task Definition ARNs', 'updating the task definition ARNs'],
  ]) {
    await ui.step(`"${command}" refuses: ${what} is disabled in Restricted Mode`, async () => {
      await ui.runCommand(command);
      const toasts = () => ui.page.locator('.notifications-toasts').innerText().catch(() => '');
      await ui.waitFor(`the refusal of ${command}`, async () => (await toasts()).includes(`${what} is disabled in Restricted Mode`), 20_000,
        async () => (await toasts()).slice(0, 400) || '(no notification)');
      await ui.shot(`refused ${what}`);
      await ui.page.keyboard.press('Escape');
    });
  }

  await ui.step('nothing was written: the task-definition template is as it was', async () => {
    const after = fs.readFileSync(path.join(ui.workspace, TEMPLATE), 'utf8');
    if (after !== templateBefore) throw new Error(`${TEMPLATE} changed in Restricted Mode`);
  });
}
