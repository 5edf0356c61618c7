// The floor for bench/run.mjs: a bare vscode-languageserver server over stdio that keeps its documents in sync and
// answers hover and completion with nothing, so the time of a request that does no work there is what the protocol,
// the pipes and the machine cost, and whatever ufo-iam's server adds above it is ufo-iam's own overhead.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { createConnection, ProposedFeatures, TextDocuments, TextDocumentSyncKind } = require('vscode-languageserver/node');
const { TextDocument } = require('vscode-languageserver-textdocument');

const connection = createConnection(ProposedFeatures.all);
const documents = new TextDocuments(TextDocument);
connection.onInitialize(() => ({
  capabilities: { textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental }, hoverProvider: true, completionProvider: { resolveProvider: false } },
}));
connection.onHover((params) => (documents.get(params.textDocument.uri) ? null : null));
// Asked again for an incomplete list, a list of the size of ufo-iam's action completions (100 items, about 20 KB),
// built once: its time over `null`'s is what carrying such a list costs, whoever computes it.
const LIST = {
  isIncomplete: true,
  itemDefaults: { editRange: { start: { line: 6, character: 17 }, end: { line: 6, character: 26 } } },
  items: Array.from({ length: 100 }, (_, i) => ({ label: `GetObject${i}`, kind: 3, detail: `s3:GetObject${i} · Read · grants the object`, labelDetails: { description: 'Read' }, sortText: `5GetObject${i}`, data: `a:s3:GetObject${i}` })),
};
connection.onCompletion((params) => (params.context?.triggerKind === 3 ? LIST : null));
documents.listen(connection);
connection.listen();
