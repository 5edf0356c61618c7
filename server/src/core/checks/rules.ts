// The rule table: one row per diagnostic code. Everything else derives from it: default severities,
// the `ufoIam.diagnostics.<CODE>` settings in package.json, docs/rules.md, SARIF rules and
// `codeDescription` links. Codes are stable forever; a renamed code becomes a new row.
import type { Severity } from '../findings';

export type RuleFamily = 'syntax' | 'dsl' | 'layout' | 'actions' | 'shape' | 'resources' | 'conditions' | 'security' | 'ufo' | 'suppression';

export interface RuleMeta {
  readonly severity: Severity;
  readonly family: RuleFamily;
  /** One sentence: what the rule finds. */
  readonly summary: string;
  /** A page that explains the problem; AWS's own page where one exists. */
  readonly docs?: string;
  /** LSP diagnostic tags: `unnecessary` fades the text, `deprecated` strikes it through. */
  readonly tag?: 'unnecessary' | 'deprecated';
}

const UFO_DOCS = 'https://github.com/boltops-tools/ufo';

export const RULES = {
  SYNTAX_ERROR: {
    severity: 'error',
    family: 'syntax',
    summary: 'Ruby syntax error reported by Prism; UFO cannot evaluate the file.',
  },
  DSL_ARITY: {
    severity: 'error',
    family: 'dsl',
    summary: '`iam_policy` takes exactly two arguments (a name and a statement hash or array); UFO raises ArgumentError otherwise.',
    docs: UFO_DOCS,
  },
  DSL_ARGUMENT_TYPE: {
    severity: 'error',
    family: 'dsl',
    summary: 'A DSL argument has a type UFO cannot use (for example a Symbol or nil as a managed policy name).',
    docs: UFO_DOCS,
  },
  DYNAMIC_VALUE: {
    severity: 'information',
    family: 'dsl',
    summary: 'A value computed at deploy time (variable, ENV, helper call); it is not checked and the preview is partial.',
  },
  CONDITIONAL_DSL_CALL: {
    severity: 'information',
    family: 'dsl',
    summary: 'A DSL call inside a condition, loop or block; whether UFO runs it is decided at deploy time.',
  },
  UNKNOWN_DSL_METHOD: {
    severity: 'warning',
    family: 'dsl',
    summary: 'A top-level call that is neither a UFO DSL method nor a helper UFO provides; UFO raises NoMethodError.',
  },
  UNUSED_ROLE_FILE: {
    severity: 'warning',
    family: 'layout',
    summary: 'A Ruby file under the IAM roles folder that UFO does not read (wrong name, wrong folder, or shadowed).',
  },
  DUPLICATE_HASH_KEY: {
    severity: 'warning',
    family: 'dsl',
    summary: 'The same key twice in one hash literal; Ruby keeps only the last value.',
  },
  SYMBOL_VALUE: {
    severity: 'warning',
    family: 'dsl',
    summary: 'A Symbol used as a policy value; UFO writes it into the template as ":name", which IAM does not understand.',
  },
} as const satisfies Record<string, RuleMeta>;

export type Code = keyof typeof RULES;

export function ruleOf(code: Code): RuleMeta {
  return RULES[code];
}
