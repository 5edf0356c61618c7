// Completion through VS Code's completion API (what the suggest widget lists), and the text an item
// writes when accepted: managed policy names with their path, and actions of a service.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { appendText, completionsAt, labelOf, openDocument, positionAfter, waitFor } from './helpers';

const TASK_ROLE = '.ufo/iam_roles/task_role.rb';
const EXECUTION_ROLE = '.ufo/iam_roles/execution_role.rb';

/** Accepts a completion item as the suggest widget does: replace its range with its insert text. */
async function accept(doc: vscode.TextDocument, position: vscode.Position, item: vscode.CompletionItem): Promise<void> {
  const range = item.range === undefined ? doc.getWordRangeAtPosition(position) ?? new vscode.Range(position, position)
    : 'replacing' in item.range ? item.range.replacing : item.range;
  const text = item.insertText === undefined ? labelOf(item) : typeof item.insertText === 'string' ? item.insertText : item.insertText.value;
  const e = new vscode.WorkspaceEdit();
  e.replace(doc.uri, range, text);
  assert.ok(await vscode.workspace.applyEdit(e));
}

/** Polls until completion at `position` lists an item matching `pick` (the server may still be starting). */
async function waitForItem(doc: vscode.TextDocument, position: vscode.Position, what: string, pick: (i: vscode.CompletionItem) => boolean): Promise<vscode.CompletionItem> {
  let last: vscode.CompletionItem[] = [];
  return waitFor(what, async () => {
    last = await completionsAt(doc, position);
    return last.find(pick);
  }, { describe: () => `${last.length} items: ${JSON.stringify(last.slice(0, 12).map(labelOf))}` });
}

describe('completion', () => {
  it('completes a managed policy name with its path: "AmazonECSTaskEx" → service-role/AmazonECSTaskExecutionRolePolicy', async () => {
    const doc = await openDocument(EXECUTION_ROLE);
    await appendText(doc, 'managed_iam_policy("AmazonECSTaskEx")');
    const at = positionAfter(doc, 'managed_iam_policy("AmazonECSTaskEx', 1 + (doc.getText().match(/managed_iam_policy\("AmazonECSTaskEx/g)!.length - 1));
    const item = await waitForItem(doc, at, 'the AmazonECSTaskExecutionRolePolicy item', (i) => labelOf(i).endsWith('AmazonECSTaskExecutionRolePolicy'));
    assert.equal(item.kind, vscode.CompletionItemKind.Interface);
    await accept(doc, at, item);
    assert.equal(doc.lineAt(at.line).text, 'managed_iam_policy("service-role/AmazonECSTaskExecutionRolePolicy")');
  });

  it('completes an action of a service: "s3:GetObj" → s3:GetObject', async () => {
    const doc = await openDocument(TASK_ROLE);
    await appendText(doc, 'iam_policy("E2eComplete", Action: ["s3:GetObj"], Effect: "Allow", Resource: "*")');
    const at = positionAfter(doc, '"s3:GetObj');
    const item = await waitForItem(doc, at, 'the s3:GetObject item', (i) => /(^|:)GetObject$/.test(labelOf(i)));
    assert.equal(item.kind, vscode.CompletionItemKind.Function);
    await accept(doc, at, item);
    assert.match(doc.lineAt(at.line).text, /Action: \["s3:GetObject"\]/);
  });

  it('offers only real actions of the service typed', async () => {
    const doc = await openDocument(TASK_ROLE);
    await appendText(doc, 'iam_policy("E2eService", Action: ["sqs:"], Effect: "Allow", Resource: "*")');
    const at = positionAfter(doc, '"sqs:');
    const item = await waitForItem(doc, at, 'sqs:SendMessage', (i) => /(^|:)SendMessage$/.test(labelOf(i)));
    assert.ok(item);
    const items = await completionsAt(doc, at);
    const foreign = items.filter((i) => i.kind === vscode.CompletionItemKind.Function && /^[a-z0-9-]+:/.test(labelOf(i)) && !labelOf(i).startsWith('sqs:'));
    assert.deepEqual(foreign.map(labelOf), [], 'actions of other services');
  });
});
