// The model of one UFO role file: the DSL calls it makes, with every value tied to its source span.
import type { Span } from '../text/span';
import type { Value, StringValue } from './values';
import type { Finding } from '../findings';

export type DslMethod = 'iam_policy' | 'managed_iam_policy';

interface CallBase {
  /** The whole call, from the method name to the closing parenthesis. */
  readonly span: Span;
  /** The method name. */
  readonly nameSpan: Span;
  /** The argument list (inside the parentheses, or after the name), if any. */
  readonly argsSpan?: Span;
  /** The parenthesis positions, when written. */
  readonly openParen?: number;
  readonly closeParen?: number;
  /** True when the call sits inside a condition, loop or block: UFO may or may not run it. */
  readonly conditional: boolean;
  /** True when a splat (`*args`) makes the argument count unknown. */
  readonly hasSplat: boolean;
  readonly args: readonly Value[];
}

export interface IamPolicyCall extends CallBase {
  readonly method: 'iam_policy';
  /** The policy name argument, when the arity is right. */
  readonly policyName?: Value;
  /** The statements argument as written (a hash, an array, or dynamic). */
  readonly statementsArg?: Value;
  /** The statements after UFO's deep flatten (docs/ufo-semantics.md §3): `Statement` is always this array. */
  readonly statements: readonly Value[];
  /** False when the arity is wrong: UFO raises, nothing is registered. */
  readonly registers: boolean;
}

export interface ManagedPolicyCall extends CallBase {
  readonly method: 'managed_iam_policy';
  /** The names after UFO's deep flatten (docs/ufo-semantics.md §4). */
  readonly names: readonly Value[];
}

export type DslCall = IamPolicyCall | ManagedPolicyCall;

/** A top-level call that is not part of the DSL (kept for completion context and checks). */
export interface OtherCall {
  readonly name: string;
  readonly span: Span;
  readonly nameSpan: Span;
}

export interface Comment {
  readonly span: Span;
  readonly text: string;
}

export interface RoleFileModel {
  readonly calls: readonly DslCall[];
  readonly otherCalls: readonly OtherCall[];
  readonly comments: readonly Comment[];
  /** Findings of parsing and modelling (syntax, arity, dynamic values, unknown methods). */
  readonly findings: readonly Finding[];
  readonly hasSyntaxErrors: boolean;
}

export function isStringLike(v: Value | undefined): v is StringValue {
  return v?.kind === 'string';
}
