// The types of the offline policy evaluator (docs/evaluation.md): the statements of a role with their sources, the
// request asked about, and the answer. Shared by statements.ts, conditions.ts and evaluate.ts.
import type { CValue } from '../compile/cvalue';
import type { Span } from '../text/span';

/** Three-valued truth: `'unknown'` when the answer depends on something ufo-iam does not know. */
export type Tri = boolean | 'unknown';

/** Where a statement comes from. */
export type StatementSource =
  | {
      readonly kind: 'inline';
      /** The `PolicyName` (unknown names are printed as `<dynamic: …>`). */
      readonly policyName: string;
      /** Index in the compiled `Policies` and in that policy's `Statement`, from 0. */
      readonly policyIndex: number;
      readonly statementIndex: number;
      readonly sid?: string;
      /** The statement's byte span in its role file, when the model was given. */
      readonly span?: Span;
    }
  | {
      readonly kind: 'managed';
      readonly policyName: string;
      readonly arn: string;
      readonly versionId: string;
      readonly statementIndex: number;
      readonly sid?: string;
    }
  | {
      /** An attached policy whose document ufo-iam does not have (customer managed, unknown or dynamic): never guessed. */
      readonly kind: 'unknownDocument';
      readonly arn: string;
      readonly reason: string;
    };

export interface EvalStatement {
  /** The statement as compiled (a map), or as the managed policy's document has it; absent for an unknown document. */
  readonly statement?: CValue;
  readonly source: StatementSource;
  /**
   * False when UFO registers the statement only if deploy-time code runs (`iam_policy` inside an `if`, a loop or a
   * block): it may not exist, so where it would apply, its applicability is unknown.
   */
  readonly certain: boolean;
}

/** A context key's values in the request (multi-valued in order), or `'absent'`: the request does not have the key. */
export type ContextEntry = readonly string[] | 'absent';

/**
 * What is asked: can the role do `action` (on `resource`) with this request context? Context keys compare
 * case-insensitively. A key a statement tests that the context neither gives nor marks absent makes that statement's
 * applicability unknown.
 */
export interface EvalRequest {
  readonly action: string;
  /** The resource's ARN; undefined asks whether the action is allowed on some resource (docs/evaluation.md). */
  readonly resource?: string;
  readonly context?: Readonly<Record<string, ContextEntry>>;
}

export type Decision = 'allowed' | 'explicitDeny' | 'implicitDeny' | 'conditional';

export interface StatementResult {
  readonly statement: EvalStatement;
  /** `'unknown'` when the Effect is not a literal Allow or Deny (or the document is unknown). */
  readonly effect: 'Allow' | 'Deny' | 'unknown';
  readonly applies: Tri;
  /** Why it applies, does not, or may: one short sentence per element checked. */
  readonly reasons: readonly string[];
}

export interface EvalResult {
  readonly decision: Decision;
  readonly request: EvalRequest;
  /** Every statement that applies or may apply (applies true or unknown), in the role's order. */
  readonly matched: readonly StatementResult[];
  /** The statements that decide: the applying Denies, else the Allows (and, when conditional, the undecided ones). */
  readonly deciding: readonly StatementResult[];
  /** One sentence: why this decision. */
  readonly why: string;
}
