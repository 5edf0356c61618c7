// How a task-definition template references each IAM role, for the live preview: UFO puts
// `{"Fn::GetAtt": "TaskRole.Arn"}` in place of the template's `taskRoleArn` when it builds the role, and
// keeps the template's value otherwise (docs/ufo-semantics.md §7). Only the top level of the task definition
// counts; a `taskRoleArn` nested in `containerDefinitions` is not the task's. Offsets are UTF-16
// (see maskErb.ts).

import type { TextRange } from './maskErb';
import { scanTaskDefinition, type TaskDefinitionFormat, type TopLevelMember } from './scanTaskDefinition';

export type RoleArnKey = 'taskRoleArn' | 'executionRoleArn';

export const ROLE_ARN_KEYS: readonly RoleArnKey[] = ['taskRoleArn', 'executionRoleArn'];

interface OccurrenceBase {
  readonly keyRange: TextRange;
  /** The value's text, quotes included; for `dynamic`, every ERB tag that takes part in it. */
  readonly range: TextRange;
  /** Whether the key is inside an ERB block (`<% if %>`, a loop), so it may be rendered zero or many times. */
  readonly conditional: boolean;
}

/** One top-level occurrence of a role key. */
export type RoleArnOccurrence =
  /** A string literal, e.g. `"arn:aws:iam::112233445566:role/pre-created-iam-role"`. */
  | (OccurrenceBase & { readonly kind: 'literal'; readonly value: string })
  /** A value ERB computes (`"<%= @execution_role_arn %>"`); `source` is the template text. */
  | (OccurrenceBase & { readonly kind: 'dynamic'; readonly source: string })
  /** Not a string: null, a number, an object, a block scalar, or something we cannot read. */
  | (OccurrenceBase & { readonly kind: 'other'; readonly source: string });

export type RoleArnRef =
  | { readonly kind: 'absent' }
  | RoleArnOccurrence
  /** The key appears more than once at the top level: which one counts depends on the rendering. */
  | { readonly kind: 'ambiguous'; readonly occurrences: readonly RoleArnOccurrence[] };

export type RoleArnReading =
  | { readonly ok: true; readonly taskRoleArn: RoleArnRef; readonly executionRoleArn: RoleArnRef }
  | { readonly ok: false; readonly reason: string };

export function occurrenceOf(text: string, m: TopLevelMember): RoleArnOccurrence {
  const base = { keyRange: m.keyRange, range: m.valueRange, conditional: m.conditional };
  if (m.kind === 'literal') return { ...base, kind: 'literal', value: m.value ?? '' };
  return { ...base, kind: m.kind, source: text.slice(m.valueRange.start, m.valueRange.end) };
}

/**
 * Reads `taskRoleArn` and `executionRoleArn` at the top level of a task-definition template (ERB
 * included). `format` is how UFO parses the rendered file: `json` for `.json` / `.json.erb`, `yaml` for
 * `.yml` (see pickTaskDefinitionFiles). Fails only when the top level is not an object or mapping.
 */
export function readRoleArns(text: string, format: TaskDefinitionFormat): RoleArnReading {
  const scan = scanTaskDefinition(text, format);
  if (!scan.ok) return { ok: false, reason: scan.reason };
  const refOf = (key: RoleArnKey): RoleArnRef => {
    const found = scan.members.filter((m) => m.key === key).map((m) => occurrenceOf(text, m));
    if (found.length === 0) return { kind: 'absent' };
    if (found.length === 1) return found[0];
    return { kind: 'ambiguous', occurrences: found };
  };
  return { ok: true, taskRoleArn: refOf('taskRoleArn'), executionRoleArn: refOf('executionRoleArn') };
}
