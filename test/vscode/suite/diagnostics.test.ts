// Diagnostics follow the editor's unsaved text: a mistake typed into a role file is reported with its
// code, on the right range, and disappears when the text is reverted.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { appendText, codeOf, openDocument, restoreWorkspace, ufoDiagnostics, waitForCode, waitForDiagnostics } from './helpers';

const EXECUTION_ROLE = '.ufo/iam_roles/execution_role.rb';
const TASK_ROLE = '.ufo/iam_roles/task_role.rb';

describe('diagnostics', () => {
  it('reports a misspelt DSL method as UNKNOWN_DSL_METHOD on the method name, with a suggestion', async () => {
    const doc = await openDocument(EXECUTION_ROLE);
    await appendText(doc, 'iam_polcy("Typo", Action: ["s3:GetObject"], Effect: "Allow", Resource: "*")');
    const d = await waitForCode(doc.uri, 'UNKNOWN_DSL_METHOD');
    assert.equal(doc.getText(d.range), 'iam_polcy');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Warning);
    assert.equal(d.source, 'ufo-iam');
    assert.match(d.message, /iam_policy/, 'the message should suggest iam_policy');
  });

  it('reports a Ruby syntax error as SYNTAX_ERROR (error severity)', async () => {
    const doc = await openDocument(TASK_ROLE);
    await appendText(doc, 'iam_policy("Broken", Action: ["s3:GetObject"');
    const d = await waitForCode(doc.uri, 'SYNTAX_ERROR');
    assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
    assert.ok(d.range.start.line >= doc.lineCount - 3, `the error should be near the appended line, got line ${d.range.start.line + 1}`);
  });

  it('clears the diagnostic when the edit is reverted', async () => {
    const doc = await openDocument(EXECUTION_ROLE);
    const before = ufoDiagnostics(doc.uri).filter((d) => codeOf(d) === 'UNKNOWN_DSL_METHOD').length;
    await appendText(doc, 'managed_iam_polcy("AmazonSSMReadOnlyAccess")');
    await waitForDiagnostics(doc.uri, 'one more UNKNOWN_DSL_METHOD', (l) => l.filter((d) => codeOf(d) === 'UNKNOWN_DSL_METHOD').length === before + 1);
    await restoreWorkspace();
    await waitForDiagnostics(doc.uri, 'the UNKNOWN_DSL_METHOD count to return to its saved-file value', (l) => l.filter((d) => codeOf(d) === 'UNKNOWN_DSL_METHOD').length === before);
  });

  it('reports a Symbol used as a policy value (SYMBOL_VALUE)', async () => {
    const doc = await openDocument(TASK_ROLE);
    await appendText(doc, 'iam_policy("SymbolEffect", Action: ["s3:GetObject"], Effect: :Allow, Resource: "*")');
    const d = await waitForCode(doc.uri, 'SYMBOL_VALUE');
    assert.equal(doc.getText(d.range), ':Allow');
  });
});
