// IO edge: what the project's task-definition template says for `taskRoleArn` / `executionRoleArn`
// (ufo-dsl.md §3.3, §5), for the preview. The template is chosen as UFO chooses it.
import { readProjectFile } from './readProjectFile';
import * as path from 'node:path';
import { pickTaskDefinitionFiles, readRoleArns, type RoleArnRef } from '../core/taskdef';
import type { PreviewInput, TemplateRoleRef } from '../core/compile/preview';
import type { UfoVersion } from '../core/compile/compileRoles';

function toTemplateRef(ref: RoleArnRef): TemplateRoleRef {
  switch (ref.kind) {
    case 'absent':
      return { kind: 'absent' };
    case 'literal':
      return { kind: 'literal', value: ref.value };
    case 'ambiguous':
      return { kind: 'dynamic', source: 'the key appears more than once' };
    default:
      return { kind: 'dynamic', source: ref.source };
  }
}

/**
 * The template UFO renders (v6: the first of `{role,web,default}.{json,yml}`; v5: `main.json.erb` first): what it says
 * for the two ARNs (`template`), or why it is not read (`templateUnreadable`); neither when there is no template.
 */
export function readTemplateRefs(
  root: string,
  version: UfoVersion,
  files: readonly string[],
  ufoRole = process.env.UFO_ROLE || 'web',
): Pick<PreviewInput, 'template' | 'templateUnreadable'> {
  const picked = pickTaskDefinitionFiles(version, files, ufoRole);
  const file = picked.find((f) => f.status === 'used') ?? picked[0];
  if (!file) return {};
  const read = readProjectFile(root, file.path);
  if (!read.ok) return read.missing ? {} : { templateUnreadable: { file: file.path, reason: read.reason } };
  const reading = readRoleArns(read.text, file.format);
  if (!reading.ok) return {};
  return { template: { file: file.path, taskRoleArn: toTemplateRef(reading.taskRoleArn), executionRoleArn: toTemplateRef(reading.executionRoleArn) } };
}
