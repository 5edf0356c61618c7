// Task-definition templates (docs/ufo-semantics.md §12): which files UFO renders, and how they reference the two
// IAM roles. Pure functions on strings; offsets are UTF-16 code units of the JavaScript string (see
// maskErb.ts for why, and `LineIndex.byteOfOffset` to get byte spans).

export { findErbTags, maskErb, type ErbTag, type ErbTagKind, type ErbFlow, type TextRange } from './maskErb';
export { readRoleArns, ROLE_ARN_KEYS, type RoleArnKey, type RoleArnRef, type RoleArnOccurrence, type RoleArnReading } from './readRoleArns';
export {
  editRoleArns,
  applyTextEdits,
  type Utf16Edit,
  type RoleArnValues,
  type EditRoleArnsOptions,
  type EditRoleArnsResult,
  type EditRefusalCode,
} from './editRoleArns';
export { isTaskDefinitionTemplate, pickTaskDefinitionFiles, type TaskDefinitionFile } from './pickTaskDefinitionFiles';
export { chooseTemplate, templateFormat, type TemplateChoice } from './chooseTemplate';
export type { TaskDefinitionFormat } from './scanTaskDefinition';
export { checkTaskDefinition, roleArnProblem, ROLE_ARN_PATTERN, type BuiltRole, type TaskDefinitionCheckInput, type TemplateFinding } from './checkTaskDefinition';
export { readTaskDefinitionTree, memberOf, type TaskDefinitionTree, type TreeNode, type TreeMember, type TreeItem } from './readTaskDefinitionTree';
