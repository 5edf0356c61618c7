// Quick fixes and refactorings through VS Code's code action API (what the light bulb shows), applied
// to the document: the fix must change the text as titled and make its diagnostic go away.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { appendText, codeActionsAt, codeOf, openDocument, rangeOf, waitFor, waitForDiagnostics, type WaitOptions } from './helpers';

const TASK_ROLE = '.ufo/iam_roles/task_role.rb';
const EXECUTION_ROLE = '.ufo/iam_roles/execution_role.rb';

// (vscode.executeCodeActionProvider does not return an action's `diagnostics`, so tests cannot check them.)

/** Applies a code action as VS Code does when the user picks it: its edit, then its command. */
async function apply(action: vscode.CodeAction): Promise<void> {
  if (action.edit) assert.ok(await vscode.workspace.applyEdit(action.edit), `VS Code refused the edit of "${action.title}"`);
  if (action.command) await vscode.commands.executeCommand(action.command.command, ...(action.command.arguments ?? []));
}

/** Waits for a diagnostic with `code` on the last line (where the test appended its text). */
async function diagnosticOnLastLine(doc: vscode.TextDocument, code: string, options?: WaitOptions): Promise<vscode.Diagnostic> {
  const line = doc.lineCount - 2; // appendText ends the document with a newline
  const list = await waitForDiagnostics(doc.uri, `${code} on line ${line + 1}`, (l) => l.some((d) => codeOf(d) === code && d.range.start.line === line), options);
  return list.find((d) => codeOf(d) === code && d.range.start.line === line)!;
}

async function quickFix(doc: vscode.TextDocument, d: vscode.Diagnostic, title: string): Promise<vscode.CodeAction> {
  const actions = await codeActionsAt(doc.uri, d.range, vscode.CodeActionKind.QuickFix.value);
  const fix = actions.find((a) => a.title === title);
  assert.ok(fix, `no quick fix "${title}" among ${JSON.stringify(actions.map((a) => a.title))}`);
  assert.ok(fix.kind && vscode.CodeActionKind.QuickFix.contains(fix.kind), `"${title}" should be a quick fix, is ${fix.kind?.value}`);
  return fix;
}

describe('quick fixes', () => {
  it('replaces a misspelt action (INVALID_ACTION → Change to s3:GetObject)', async () => {
    const doc = await openDocument(TASK_ROLE);
    await appendText(doc, 'iam_policy("E2eActionTypo", Action: ["s3:GetObjekt"], Effect: "Allow", Resource: "*")');
    const d = await diagnosticOnLastLine(doc, 'INVALID_ACTION');
    assert.match(doc.getText(d.range), /s3:GetObjekt/);
    await apply(await quickFix(doc, d, 'Change to s3:GetObject'));
    assert.match(doc.lineAt(doc.lineCount - 2).text, /Action: \["s3:GetObject"\]/);
    await waitForDiagnostics(doc.uri, 'the INVALID_ACTION to disappear', (l) => !l.some((x) => codeOf(x) === 'INVALID_ACTION' && x.range.start.line === doc.lineCount - 2));
  });

  it('renames a misspelt DSL method (UNKNOWN_DSL_METHOD → Change to iam_policy), preferred', async () => {
    const doc = await openDocument(TASK_ROLE);
    await appendText(doc, 'iam_polcy("E2eMethodTypo", Action: ["s3:GetObject"], Effect: "Allow", Resource: "*")');
    const d = await diagnosticOnLastLine(doc, 'UNKNOWN_DSL_METHOD');
    const fix = await quickFix(doc, d, 'Change to iam_policy');
    assert.equal(fix.isPreferred, true);
    await apply(fix);
    assert.match(doc.lineAt(doc.lineCount - 2).text, /^iam_policy\("E2eMethodTypo"/);
  });

  it('adds the path of a managed policy (MANAGED_POLICY_PATH_MISSING)', async () => {
    const doc = await openDocument(EXECUTION_ROLE);
    await appendText(doc, 'managed_iam_policy("AmazonEC2ContainerServiceforEC2Role")');
    const d = await diagnosticOnLastLine(doc, 'MANAGED_POLICY_PATH_MISSING');
    await apply(await quickFix(doc, d, 'Change to service-role/AmazonEC2ContainerServiceforEC2Role'));
    assert.equal(doc.lineAt(doc.lineCount - 2).text, 'managed_iam_policy("service-role/AmazonEC2ContainerServiceforEC2Role")');
  });

  it('offers to disable a check for one line, with a directive that silences it', async () => {
    const doc = await openDocument(TASK_ROLE);
    await appendText(doc, 'iam_policy("E2eDisable", Action: ["s3:GetObjekt"], Effect: "Allow", Resource: "*")');
    const d = await diagnosticOnLastLine(doc, 'INVALID_ACTION');
    await apply(await quickFix(doc, d, 'Disable INVALID_ACTION for this line'));
    const directive = doc.lineAt(doc.lineCount - 3).text;
    assert.match(directive, /^#.*disable-next-line INVALID_ACTION/);
    await waitForDiagnostics(doc.uri, 'the silenced INVALID_ACTION to disappear', (l) => !l.some((x) => codeOf(x) === 'INVALID_ACTION' && x.range.start.line === doc.lineCount - 2));
  });
});

describe('refactorings', () => {
  it('expands a wildcard action into the actions it matches', async () => {
    const doc = await openDocument(TASK_ROLE);
    await appendText(doc, 'iam_policy("E2eExpand", Action: ["sqs:GetQueue*"], Effect: "Allow", Resource: "*")');
    const range = rangeOf(doc, 'sqs:GetQueue*');
    const expand = await waitFor('the expand refactoring', async () =>
      (await codeActionsAt(doc.uri, range, vscode.CodeActionKind.RefactorRewrite.value)).find((a) => /^Expand sqs:GetQueue\* into its \d+ actions?$/.test(a.title)));
    assert.ok(expand.kind && vscode.CodeActionKind.RefactorRewrite.contains(expand.kind));
    await apply(expand);
    const line = doc.lineAt(doc.lineCount - 2).text;
    assert.match(line, /"sqs:GetQueueAttributes"/);
    assert.match(line, /"sqs:GetQueueUrl"/);
    assert.doesNotMatch(line, /GetQueue\*/);
  });
});
