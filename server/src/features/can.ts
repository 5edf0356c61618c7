// `ufoIam/can`: the server side of "UFO: Can the Role…?". The project layer (project/canRole.ts) answers exactly what
// `ufo-iam can` answers, from the open editors' text where a role file is open (the result names those whose text
// differs from the disk) and from the disk otherwise; this file only reads the params and adds the files' URIs.
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { CanRequest } from '../lsp/protocol';
import { CAN_ROLES, CanQueryError, canAnswerJson, canAnswerLines, canRole, parseCanContext, rolesToAsk } from '../project/canRole';
import type { AwsRequests } from './awsContext';
import { openTextsReader } from './openTexts';

export const CAN_FAILED: CanRequest.Result = { kind: 'refused', code: 'INTERNAL_ERROR', message: 'Evaluating the role failed unexpectedly; see the UFO IAM output channel.' };

const optionalString = (v: unknown): boolean => v === undefined || typeof v === 'string';

export async function provideCan(requests: AwsRequests, documents: TextDocuments<TextDocument>, params: CanRequest.Params): Promise<CanRequest.Result> {
  if (!optionalString(params.action) || !optionalString(params.resource) || !optionalString(params.role)) return { kind: 'refused', code: 'INVALID_PARAMS', message: 'action, resource and role must be strings.' };
  if (params.context !== undefined && !(Array.isArray(params.context) && params.context.every((c) => typeof c === 'string'))) return { kind: 'refused', code: 'INVALID_PARAMS', message: 'context must be an array of KEY=VALUE or !KEY lines.' };
  const opened = await requests.projectOf(params.uri);
  if (!opened) return { kind: 'refused', code: 'NOT_A_PROJECT', message: 'This is not part of a UFO project (no .ufo folder above it).' };
  const { project } = opened;
  const root = project.root;
  const uriOf = (file: string) => pathToFileURL(path.resolve(root, file)).href;
  const { unsaved, ...reader } = openTextsReader(requests, documents, root);
  if (params.action === undefined) {
    const asked = rolesToAsk(project, reader);
    return { kind: 'roles', root, source: asked.source, roles: asked.roles };
  }
  let answer: ReturnType<typeof canRole>;
  try {
    if (params.role !== undefined && !CAN_ROLES.includes(params.role)) throw new CanQueryError('role must be TaskRole or ExecutionRole');
    const context = parseCanContext(params.context ?? []);
    answer = canRole(project, { action: params.action, ...(params.resource ? { resource: params.resource } : {}), ...(params.role ? { role: params.role } : {}), context }, reader);
  } catch (e) {
    if (e instanceof CanQueryError) return { kind: 'refused', code: 'INVALID_PARAMS', message: e.message.replace(/^--context/, 'context') };
    throw e;
  }
  if (answer.kind === 'noAnswer') {
    return {
      kind: 'refused',
      code: answer.code,
      message: answer.message.charAt(0).toUpperCase() + answer.message.slice(1),
      ...(answer.problems.length > 0 ? { problems: answer.problems.map((p) => ({ file: path.relative(root, p.file) || p.file, line: p.line, column: p.column, code: p.code, message: p.message })) } : {}),
    };
  }
  const answers: CanRequest.RoleAnswer[] = answer.roles.map((r) => {
    const json = canAnswerJson(r, root, answer.notConsidered, answer.dataDate);
    return {
      ...json,
      matched: json.matched.map((m) => (m.source.kind === 'inline' ? { ...m, source: { ...m.source, uri: uriOf(m.source.file) } } : m)) as CanRequest.Statement[],
      fileUri: pathToFileURL(r.file).href,
    };
  });
  return {
    kind: 'answered',
    root,
    source: answer.source,
    overall: answer.overall,
    answers,
    lines: canAnswerLines(answer, (f) => path.relative(root, f) || f),
    notConsidered: answer.notConsidered,
    dataDate: answer.dataDate,
    unsaved: [...unsaved].sort(),
  };
}
