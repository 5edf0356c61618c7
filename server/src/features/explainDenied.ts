// `ufoIam/explainDenied`: the server side of "UFO: Fix AccessDenied…". The project layer (project/deniedRole.ts)
// explains the message and proposes the edit, reading the role file from its open editor when it is open; this file
// turns the byte-span edit into a WorkspaceEdit (versioned for an open document, so a changed text refuses it).
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { LineIndex } from '../core';
import { toTextEdit } from '../lsp/convert';
import type { ExplainDeniedRequest } from '../lsp/protocol';
import { diffOfEdit, explainDenied, explanationLines } from '../project/deniedRole';
import { readProjectFile } from '../project/readProjectFile';
import type { AwsRequests } from './awsContext';

export const EXPLAIN_FAILED: ExplainDeniedRequest.Result = { kind: 'refused', code: 'INTERNAL_ERROR', message: 'Explaining the message failed unexpectedly; see the UFO IAM output channel.' };

export async function provideExplainDenied(requests: AwsRequests, documents: TextDocuments<TextDocument>, params: ExplainDeniedRequest.Params): Promise<ExplainDeniedRequest.Result> {
  if (typeof params.message !== 'string') return { kind: 'refused', code: 'INVALID_PARAMS', message: 'message must be a string.' };
  const opened = await requests.projectOf(params.uri);
  if (!opened) return { kind: 'refused', code: 'NOT_A_PROJECT', message: 'This is not part of a UFO project (no .ufo folder above it).' };
  const { project } = opened;
  const uriOf = (rel: string) => pathToFileURL(path.join(project.root, rel)).href;
  const ex = explainDenied(project, params.message, {
    ...(params.wildcard === true ? { wildcard: true } : {}),
    read: (rel) => {
      const doc = documents.get(uriOf(rel));
      return doc ? { ok: true, text: doc.getText() } : readProjectFile(project.root, rel);
    },
  });
  if (ex.kind === 'notDenied') return { kind: 'refused', code: ex.code, message: ex.message };
  let edit: Extract<ExplainDeniedRequest.Result, { kind: 'explained' }>['edit'];
  if (ex.edit) {
    const uri = uriOf(ex.edit.file);
    const index = new LineIndex(ex.edit.before);
    const version = documents.get(uri)?.version ?? null;
    edit = {
      uri,
      file: ex.edit.file,
      title: ex.edit.title,
      diff: diffOfEdit(ex.edit),
      workspaceEdit: { documentChanges: [{ textDocument: { uri, version }, edits: ex.edit.edits.map((e) => toTextEdit(index, e)) }] },
    };
  }
  return {
    kind: 'explained',
    denied: ex.denied,
    reason: ex.reason,
    lines: explanationLines(ex),
    ...(edit ? { edit } : {}),
    ...(ex.noEdit ? { noEdit: ex.noEdit } : {}),
  };
}
