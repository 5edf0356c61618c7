// `ufoIam/taskDefinitionArns`: the server side of "UFO: Update Task Definition ARNs". The ARNs are the ones the
// client sends, or the live ARNs of the roles this project names (IAM GetRole); the template and the ERB-aware edit
// come from project/taskDefinitionArns.ts, exactly as for `ufo-iam arns`. The client applies the edit as an undoable
// WorkspaceEdit, after checking that its editor holds the text the edit was computed from (baseSha256).
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { AwsSession } from '../aws';
import { LineIndex } from '../core';
import { toTextEdit } from '../lsp/convert';
import type { TaskDefinitionArnsRequest } from '../lsp/protocol';
import { FORCEABLE, KEY_OF, planArnUpdate, stackTargetRefusal, type ArnValues } from '../project/taskDefinitionArns';
import { awsOptionsOf } from '../settings';
import { awsErrorResult, type AwsRequests } from './awsContext';

export const ARNS_FAILED: TaskDefinitionArnsRequest.Result = {
  kind: 'error',
  code: 'INTERNAL_ERROR',
  message: 'Computing the task definition ARNs failed unexpectedly; see the UFO IAM output channel.',
};

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

export async function provideTaskDefinitionArns(requests: AwsRequests, params: TaskDefinitionArnsRequest.Params): Promise<TaskDefinitionArnsRequest.Result> {
  const refuse = (code: string, message: string, extra: { uri?: string; file?: string } = {}): TaskDefinitionArnsRequest.Result => ({
    kind: 'refused',
    code,
    message,
    canForce: FORCEABLE.has(code),
    ...extra,
  });
  const opened = await requests.projectOf(params.uri);
  if (!opened) return refuse('NOT_A_PROJECT', 'This is not part of a UFO project (no .ufo folder above it).');
  const { project, settings } = opened;
  const stack = stackTargetRefusal(project);
  if (stack) return refuse('STACK_TARGET', stack);

  const values: ArnValues = {};
  const notes: string[] = [];
  if (params.values && Object.values(params.values).some((v) => v !== undefined)) {
    for (const key of ['taskRoleArn', 'executionRoleArn'] as const) if (params.values[key] !== undefined) values[key] = params.values[key];
  } else {
    // The live ARNs of the roles this project names.
    const aws = requests.load();
    let session: AwsSession | undefined;
    try {
      session = await aws.openAwsSession(awsOptionsOf(settings));
      for (const logicalId of ['TaskRole', 'ExecutionRole'] as const) {
        const name = project.names.names[logicalId];
        if (!name.ok) {
          notes.push(`${KEY_OF[logicalId]} is left as it is: ${name.message}`);
          continue;
        }
        const live = await session.iam.getRole(name.name);
        if (live) values[KEY_OF[logicalId]] = live.arn;
        else notes.push(`Role ${name.name} does not exist in IAM (apply the roles first), so ${KEY_OF[logicalId]} is left as it is.`);
      }
    } catch (e) {
      return awsErrorResult(e, session);
    } finally {
      session?.close();
    }
    if (Object.keys(values).length === 0) return refuse('NO_ROLES', `Neither role exists in IAM, so there is nothing to write. ${notes.join(' ')}`.trim());
  }

  const update = planArnUpdate(project, values, { file: params.file, force: params.force === true });
  const uriOf = (file: string) => pathToFileURL(path.join(project.root, file)).href;
  switch (update.kind) {
    case 'choose':
      return { kind: 'choose', message: update.message, candidates: [...update.candidates] };
    case 'refused':
      return refuse(update.code, update.message, update.file ? { uri: uriOf(update.file), file: update.file } : {});
    case 'unchanged':
      return { kind: 'unchanged', uri: uriOf(update.file), file: update.file, values: update.values, notes: [...notes, ...update.notes] };
    case 'edit': {
      // Template edits are UTF-16 offsets; through byte spans they reach the one LSP converter.
      const index = new LineIndex(update.text);
      const edits = update.edits.map((e) =>
        toTextEdit(index, { span: { start: index.byteOfOffset(e.range.start), end: index.byteOfOffset(e.range.end) }, text: e.newText }),
      );
      const uri = uriOf(update.file);
      return { kind: 'edit', uri, file: update.file, edit: { changes: { [uri]: edits } }, values: update.values, baseSha256: sha256(update.text), notes: [...notes, ...update.notes] };
    }
  }
}
