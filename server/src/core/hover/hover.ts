// Hover in a role file: what the string or key under the cursor means in IAM, as markdown with the exact byte span
// of that string or key. Pure: analysis + byte offset + IAM knowledge in, markdown and span out.
import { MAX_ANALYZED_BYTES, type RoleFileAnalysis } from '../analysis';
import type { IamKnowledge } from '../iam/iamKnowledge';
import { hasWildcard } from '../iam/wildcard';
import type { Span } from '../text/span';
import type { Value } from '../model/values';
import { locateCursor, statementInfo } from '../cursor/cursorContext';
import { bytesText, utf8Length, type Token } from '../cursor/rubyLexer';
import {
  describeAction,
  describeConditionKey,
  describeConditionOperator,
  describeDslMethod,
  describeEffect,
  describeManagedPolicy,
  describeResource,
  describeService,
  describeStatementKey,
  describeWildcard,
} from '../iam/describe';

export interface HoverResult {
  /** The string or key the hover is about (quotes included), or the service part of an action. */
  readonly span: Span;
  readonly markdown: string;
}

/** The hover at byte `offset`, or undefined when the cursor is on nothing IAM knows about. */
export function hover(analysis: RoleFileAnalysis, offset: number, iam: IamKnowledge): HoverResult | undefined {
  // Files the analysis declines (FILE_TOO_LARGE) get no hover either: every request would wait on them.
  if (analysis.bytes.length > MAX_ANALYZED_BYTES) return undefined;
  const ctx = locateCursor(analysis, offset, 'hover');
  const token = ctx.token;
  if (!token) return undefined;
  const role = ctx.role;
  const value = tokenValue(analysis, token);
  const span = tokenSpan(token);
  switch (role.kind) {
    case 'dslMethod':
      return { span, markdown: describeDslMethod(iam, role.name) };
    case 'managedPolicy':
      if (!isTextual(token)) return undefined;
      return { span, markdown: describeManagedPolicy(iam, value) };
    case 'statementKey':
      if (!isKeyLike(token)) return undefined;
      return { span, markdown: describeStatementKey(iam, value) };
    case 'statementValue': {
      if (!isTextual(token)) return undefined;
      const key = role.key.toLowerCase();
      if (key === 'action' || key === 'notaction') return actionHover(iam, token, value, offset, key === 'notaction');
      if (key === 'effect') return { span, markdown: describeEffect(iam, value) };
      if (key === 'resource' || key === 'notresource') {
        const info = statementInfo(analysis, role.statement);
        return { span, markdown: describeResource(iam, value, info.actions, key === 'notresource') };
      }
      return undefined;
    }
    case 'conditionOperator':
      if (!isKeyLike(token)) return undefined;
      return { span, markdown: describeConditionOperator(iam, value) };
    case 'conditionKey': {
      if (!isKeyLike(token)) return undefined;
      const info = statementInfo(analysis, role.statement);
      return { span, markdown: describeConditionKey(iam, value, info.actions) };
    }
    default:
      return undefined;
  }
}

function isTextual(t: Token): boolean {
  return t.type === 'string' || t.type === 'word' || t.type === 'symbol';
}

function isKeyLike(t: Token): boolean {
  return t.type === 'label' || t.type === 'string' || t.type === 'symbol' || t.type === 'ident';
}

/** The exact string or key: quotes included, a label's colon not. */
function tokenSpan(t: Token): Span {
  if (t.type === 'label') return { start: t.start, end: t.end - 1 };
  return { start: t.start, end: t.end };
}

/**
 * The text of a literal token. Its raw content is the value unless it has escapes or interpolation; then the model's
 * evaluated value of the same literal is used, when Prism saw the literal there too.
 */
function tokenValue(analysis: RoleFileAnalysis, t: Token): string {
  const raw = bytesText(analysis.bytes, t.cs, t.ce);
  if (!raw.includes('\\') && !raw.includes('#{')) return raw;
  return modelStringAt(analysis, t.start) ?? raw;
}

function modelStringAt(analysis: RoleFileAnalysis, start: number): string | undefined {
  const stack: Value[] = [];
  for (const call of analysis.model.calls) stack.push(...call.args);
  while (stack.length > 0) {
    const v = stack.pop()!;
    if (v.span.start > start || v.span.end < start) continue;
    if ((v.kind === 'string' || v.kind === 'symbol') && v.span.start === start) return v.value;
    if (v.kind === 'array') stack.push(...v.elements);
    else if (v.kind === 'hash') for (const e of v.entries) stack.push(e.key, e.value);
  }
  return undefined;
}

/** An Action value: the service on its prefix part, else the action or wildcard. */
function actionHover(iam: IamKnowledge, t: Token, value: string, offset: number, notAction: boolean): HoverResult {
  const colon = value.indexOf(':');
  const full = { start: t.start, end: t.end };
  if (colon < 0) {
    if (hasWildcard(value)) return { span: full, markdown: describeWildcard(iam, value, notAction) };
    return { span: full, markdown: iam.findService(value) ? describeService(iam, value) : describeAction(iam, value, notAction) };
  }
  // The prefix part as written: the raw content up to its first colon (escapes would shift it; they never occur there).
  const prefixEnd = t.cs + utf8Length(value.slice(0, colon));
  const service = value.slice(0, colon);
  if (offset < prefixEnd && !hasWildcard(service) && iam.findService(service)) {
    return { span: { start: t.cs, end: prefixEnd }, markdown: describeService(iam, service) };
  }
  if (hasWildcard(value)) return { span: full, markdown: describeWildcard(iam, value, notAction) };
  return { span: full, markdown: describeAction(iam, value, notAction) };
}

