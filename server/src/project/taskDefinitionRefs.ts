// IO edge: what the project's task-definition template says for `taskRoleArn` / `executionRoleArn`, for the preview.
// The template is the project context's choice, the same one "UFO: Update Task Definition ARNs" and `ufo-iam arns` edit.
import { readRoleArns, type RoleArnRef, type PreviewInput, type TemplateRoleRef } from '../core';
import type { ProjectContext } from './projectContext';
import { readProjectFile } from './readProjectFile';

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
 * What the project's task-definition template (the project context's choice) says for the two ARNs (`template`), or a
 * line saying why the preview cannot tell (`templateNote`: the file is not read, or several v5 templates could be it).
 */
export function readTemplateRefs(project: ProjectContext): Pick<PreviewInput, 'template' | 'templateNote'> {
  const choice = project.template;
  if (choice.kind === 'none') return {};
  if (choice.kind === 'choose') return { templateNote: `${choice.message} "UFO: Update Task Definition ARNs" asks which one.` };
  const file = choice.file;
  const read = readProjectFile(project.root, file.path);
  if (!read.ok) return read.missing ? {} : { templateNote: `${file.path} is not read: ${read.reason}.` };
  const reading = readRoleArns(read.text, file.format);
  if (!reading.ok) return {};
  return { template: { file: file.path, taskRoleArn: toTemplateRef(reading.taskRoleArn), executionRoleArn: toTemplateRef(reading.executionRoleArn) } };
}
