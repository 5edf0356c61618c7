// The outline (document symbols): the role, its inline policies with their statements, and its
// managed policies, following unsaved edits.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { appendText, documentSymbols, openDocument, waitFor } from './helpers';

const EXECUTION_ROLE = '.ufo/iam_roles/execution_role.rb';
const TASK_ROLE = '.ufo/iam_roles/task_role.rb';

/** Policy names written as plain string literals in a role file (what the outline must list at least). */
function literalPolicyNames(text: string): string[] {
  const names: string[] = [];
  for (const m of text.matchAll(/^\s*managed_iam_policy\s*\(?([^)\n]*)/gm)) {
    for (const s of m[1].matchAll(/"([^"#\\]+)"|'([^'\\]+)'/g)) names.push(s[1] ?? s[2]);
  }
  for (const m of text.matchAll(/^\s*iam_policy\s*\(?\s*(?:"([^"#\\]+)"|'([^'\\]+)')/gm)) names.push(m[1] ?? m[2]);
  return names;
}

describe('outline', () => {
  for (const [file, roleSymbol] of [[TASK_ROLE, 'TaskRole'], [EXECUTION_ROLE, 'ExecutionRole']] as const) {
    it(`lists the policies of ${file} under ${roleSymbol}`, async () => {
      const doc = await openDocument(file);
      const expected = literalPolicyNames(doc.getText());
      assert.ok(expected.length > 0, `${file} of the demo should declare policies`);
      const symbols = await waitFor(`the outline of ${file}`, async () => {
        const s = await documentSymbols(doc.uri);
        return s.length > 0 ? s : undefined;
      });
      const role = symbols.find((s) => s.name === roleSymbol);
      assert.ok(role, `no ${roleSymbol} symbol in ${JSON.stringify(symbols.map((s) => s.name))}`);
      const children = role.children.map((c) => c.name);
      for (const name of expected) assert.ok(children.includes(name), `${name} missing from the outline ${JSON.stringify(children)}`);
    });
  }

  it('shows a policy typed into the editor, with its statement', async () => {
    const doc = await openDocument(TASK_ROLE);
    await appendText(doc, 'iam_policy("E2eOutlineProbe", Action: ["sqs:SendMessage"], Effect: "Allow", Resource: "*")');
    const probe = await waitFor('E2eOutlineProbe in the outline', async () =>
      (await documentSymbols(doc.uri)).find((s) => s.name === 'E2eOutlineProbe'));
    assert.equal(probe.kind, vscode.SymbolKind.Module);
    assert.equal(probe.children.length, 1, 'one statement');
    assert.match(probe.children[0].detail, /Allow.*sqs:SendMessage/);
    assert.equal(doc.getText(probe.selectionRange), '"E2eOutlineProbe"');
  });
});
