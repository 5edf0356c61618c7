// Hover through VS Code's hover API: what an action and a managed policy are, over their exact range.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { appendText, openDocument, rangeOf, waitFor } from './helpers';

const TASK_ROLE = '.ufo/iam_roles/task_role.rb';

async function hoverText(uri: vscode.Uri, position: vscode.Position): Promise<{ text: string; ranges: vscode.Range[] } | undefined> {
  const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
  const ours = (hovers ?? []).filter((h) => h.contents.length > 0);
  if (ours.length === 0) return undefined;
  const text = ours.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
  return { text, ranges: ours.map((h) => h.range).filter((r): r is vscode.Range => !!r) };
}

describe('hover', () => {
  it('describes an action over the whole string', async () => {
    const doc = await openDocument(TASK_ROLE);
    await appendText(doc, 'iam_policy("E2eHover", Action: ["sqs:SendMessage"], Effect: "Allow", Resource: "*")');
    const range = rangeOf(doc, 'sqs:SendMessage');
    const hover = await waitFor('a hover over sqs:SendMessage', () => hoverText(doc.uri, range.start.translate(0, 5)));
    assert.match(hover.text, /SendMessage/);
    assert.ok(hover.ranges.some((r) => r.contains(range)), `the hover range should cover the action: ${JSON.stringify(hover.ranges)}`);
  });

  it('describes a managed policy', async () => {
    const doc = await openDocument(TASK_ROLE);
    await appendText(doc, 'managed_iam_policy("AmazonSSMReadOnlyAccess")');
    const range = rangeOf(doc, 'AmazonSSMReadOnlyAccess', (doc.getText().match(/AmazonSSMReadOnlyAccess/g) ?? []).length);
    const hover = await waitFor('a hover over AmazonSSMReadOnlyAccess', () => hoverText(doc.uri, range.start.translate(0, 3)));
    assert.match(hover.text, /AmazonSSMReadOnlyAccess/);
    assert.match(hover.text, /arn:aws:iam::aws:policy\/AmazonSSMReadOnlyAccess/);
  });
});
