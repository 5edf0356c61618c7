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
connection.onCompletion(() => null);
documents.listen(connection);
connection.listen();
