// The server's workspace caches a document's analysis per version. A request that waited while its document was
// closed and opened again analyses the old document after the new one's versions started again: the cache must not
// hand that analysis to the new document when it reaches the same version (the server fuzz found it published the
// old text's diagnostics). And an edit inside one call starts from the previous version's analysis.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Workspace } from '../../server/src/workspace';
import { parse } from '../support/core';

const URI = 'file:///p/.ufo/iam_roles/task_role.rb';

test('an analysis made for a closed document is not the reopened one’s at the same version', () => {
  const ws = new Workspace(parse());
  const old = TextDocument.create(URI, 'ruby', 3, 'managed_iam_policy("Old")\n');
  ws.forget(URI);
  // The late request of the closed document, after the reopened one was forgotten and opened.
  assert.equal(ws.analyze(old).text, 'managed_iam_policy("Old")\n');
  const reopened = TextDocument.create(URI, 'ruby', 3, 'managed_iam_policy("New")\n');
  assert.equal(ws.analyze(reopened).text, 'managed_iam_policy("New")\n');
  assert.deepEqual(ws.analyze(reopened).model.calls.map((c) => (c.method === 'managed_iam_policy' && c.names[0].kind === 'string' ? c.names[0].value : '')), ['New']);
});

test('an edit inside one call, one comment or among the statements is known to stay there before it is analysed, and its analysis comes from the last one', () => {
  const ws = new Workspace(parse());
  let doc = TextDocument.create(URI, 'ruby', 1, 'iam_policy("P", Action: "s3:GetObject", Effect: "Allow", Resource: "*")\n\n# end\n');
  const first = ws.analyze(doc);
  doc = TextDocument.update(doc, [{ range: { start: { line: 0, character: 36 }, end: { line: 0, character: 36 } }, text: 'X' }], 2);
  assert.equal(ws.editStaysInOnePart(doc), true);
  const second = ws.analyze(doc);
  assert.notEqual(second, first);
  assert.equal(second.model.calls.length, 1);
  doc = TextDocument.update(doc, [{ range: { start: { line: 2, character: 5 }, end: { line: 2, character: 5 } }, text: 'X' }], 3);
  assert.equal(ws.editStaysInOnePart(doc), true, 'an edit inside a comment between statements');
  assert.equal(ws.analyze(doc).model.comments[0].text, '# endX');
  // A line break typed in a comment ends it: the statements around it are tried instead, and the assignment on the
  // new line, which only the parse sees, sends the edit to a full parse.
  doc = TextDocument.update(doc, [{ range: { start: { line: 2, character: 6 }, end: { line: 2, character: 6 } }, text: '\nx = 1' }], 4);
  assert.equal(ws.editStaysInOnePart(doc), true, 'a line typed among the statements');
  assert.deepEqual(ws.analyze(doc).reuse?.locals, [{ name: 'x', at: 81 }]);
  doc = TextDocument.update(doc, [{ range: { start: { line: 3, character: 5 }, end: { line: 3, character: 5 } }, text: '\nmanaged_iam_policy(<<~P)\nA\nP' }], 5);
  assert.equal(ws.editStaysInOnePart(doc), false, 'a heredoc typed among the statements');
  doc = TextDocument.update(doc, [{ range: { start: { line: 1, character: 0 }, end: { line: 1, character: 0 } }, text: 'y' }], 6);
  assert.equal(ws.editStaysInOnePart(doc), false, 'an edit on the second line, where Ruby reads the encoding');
});
