// `ufoIam/moveRoles`: the server side of "UFO: Move Roles to Pre-created" and "UFO: Move Roles to the Stack". The move
// is computed by project/moveRoles.ts from the saved files; this file refuses while files under `.ufo/` have unsaved
// changes (the renames and the template edit are computed from the disk) and turns the result into one WorkspaceEdit:
// RenameFile operations, then the template's text edit (UTF-16 offsets, through byte spans to the one LSP converter).
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { WorkspaceEdit } from 'vscode-languageserver-protocol';
import { LineIndex } from '../core';
import { toTextEdit } from '../lsp/convert';
import type { MoveRolesRequest } from '../lsp/protocol';
import { planMoveRoles } from '../project/moveRoles';
import { parseApplyTarget } from '../settings';
import type { AwsRequests } from './awsContext';

export const MOVE_FAILED: MoveRolesRequest.Result = { kind: 'refused', code: 'INTERNAL_ERROR', message: 'Computing the move failed unexpectedly; see the UFO IAM output channel.' };

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

export async function provideMoveRoles(requests: AwsRequests, params: MoveRolesRequest.Params): Promise<MoveRolesRequest.Result> {
  const to = parseApplyTarget(params.to);
  if (!to) return { kind: 'refused', code: 'INVALID_PARAMS', message: 'to must be "stack" or "precreated".' };
  const opened = await requests.projectOf(params.uri);
  if (!opened) return { kind: 'refused', code: 'NOT_A_PROJECT', message: 'This is not part of a UFO project (no .ufo folder above it).' };
  const { project } = opened;
  const unsaved = requests.unsavedFiles(project.root);
  if (unsaved.length > 0) {
    const names = unsaved.map((u) => decodeURIComponent(u.slice(u.lastIndexOf('/.ufo/') + 1)));
    return { kind: 'refused', code: 'UNSAVED', message: `${names.join(', ')} ${unsaved.length === 1 ? 'has' : 'have'} unsaved changes; the move is computed from the saved files.`, unsaved };
  }
  const plan = planMoveRoles(project, to, { keepTemplateArns: params.keepTemplateArns === true });
  if (plan.kind === 'refused') return { kind: 'refused', code: plan.code, message: plan.message };
  const uriOf = (rel: string) => pathToFileURL(path.join(project.root, rel)).href;
  const documentChanges: NonNullable<WorkspaceEdit['documentChanges']> = plan.moves.map((m) => ({
    kind: 'rename' as const,
    oldUri: uriOf(m.from),
    newUri: uriOf(m.to),
    options: { overwrite: false, ignoreIfExists: false },
  }));
  let template: Extract<MoveRolesRequest.Result, { kind: 'edit' }>['template'];
  if (plan.template) {
    const index = new LineIndex(plan.template.text);
    const uri = uriOf(plan.template.file);
    documentChanges.push({
      textDocument: { uri, version: null },
      edits: plan.template.edits.map((e) => toTextEdit(index, { span: { start: index.byteOfOffset(e.range.start), end: index.byteOfOffset(e.range.end) }, text: e.newText })),
    });
    template = { uri, file: plan.template.file, removed: [...plan.template.removed], baseSha256: sha256(plan.template.text) };
  }
  return {
    kind: 'edit',
    root: project.root,
    edit: { documentChanges },
    moves: plan.moves.map((m) => ({ from: m.from, to: m.to, fromUri: uriOf(m.from), toUri: uriOf(m.to) })),
    ...(template ? { template } : {}),
    keptArns: [...plan.keptArns],
    headline: plan.headline,
    preview: plan.preview,
    notes: [...plan.notes],
  };
}
