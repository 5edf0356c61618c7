// Builds the RoleFileModel from Prism's AST: finds the DSL calls (also inside conditions and blocks),
// evaluates their arguments statically and reports what UFO would reject.
import type { ParseResult } from '../parse/prism';
import { evaluate, nodeSpan, type EvalContext, type PrismNode } from '../parse/evaluate';
import type { Finding } from '../findings';
import { spanOfLocation, type Span } from '../text/span';
import type { Value } from './values';
import { deepFlatten, hashKeptByUfo, walkValue } from './values';
import { editDistance } from '../iam/suggest';
import type { Comment, DslCall, OtherCall, RoleFileModel } from './roleFile';

/** Methods callable at the top of a role file without a receiver that are not DSL methods (docs/ufo-semantics.md §10). */
const KNOWN_HELPERS = new Set([
  // v6 AwsHelper and DslEvaluator helpers.
  'aws', 'account', 'region', 'aws_region', 'current_region', 'logger', 'config', 'configure', 'print_code', 'pretty_path',
  // Kernel methods people use in Ruby config files.
  'puts', 'p', 'pp', 'print', 'warn', 'require', 'require_relative', 'load', 'raise', 'fail', 'format', 'sprintf',
  'lambda', 'proc', 'loop', 'rand', 'sleep', 'binding', 'block_given?', 'caller', 'catch', 'throw', 'exit', 'abort',
  'at_exit', 'freeze', 'instance_variable_get', 'instance_variable_set', 'send', 'public_send', 'respond_to?', 'define_method',
  'attr_accessor', 'attr_reader', 'attr_writer', 'include', 'extend', 'private', 'public', 'protected', 'Integer', 'Float',
  'String', 'Array', 'Hash', 'Rational', 'Complex', 'gets', 'system', 'open', 'printf', 'putc', 'srand', 'trap', 'then',
  'tap', 'dup', 'clone', 'itself', 'method', 'methods', 'instance_eval', 'instance_exec', 'eval',
]);

export const DSL_METHODS = ['iam_policy', 'managed_iam_policy'] as const;

function nodeType(node: PrismNode): string {
  return node?.constructor?.name ?? 'unknown';
}

export function suggestDslMethod(name: string): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const m of DSL_METHODS) {
    const d = editDistance(name.toLowerCase(), m);
    if (d < bestD) {
      bestD = d;
      best = m;
    }
  }
  return bestD <= Math.max(2, Math.floor(name.length / 4)) ? best : undefined;
}

/**
 * The arguments Ruby passes, as far as they are known: a splat of a literal (`*%w[A B]`, `*["P", {...}]`) passes its
 * elements (`*nil` none, `*"A"` the value itself), and trailing keywords made only of empty double splats (`**{}`) pass
 * nothing. `dynamicSplat` is set when a splat's elements are known only at deploy time: then the count of arguments is
 * unknown too, and the splat itself is the dynamic value that stands for them.
 */
function evaluateArguments(nodes: readonly PrismNode[], ctx: EvalContext): { args: Value[]; dynamicSplat: boolean } {
  const args: Value[] = [];
  let dynamicSplat = false;
  for (const node of nodes) {
    const type = nodeType(node);
    if (type === 'SplatNode') {
      const inner = node.expression ? evaluate(node.expression, ctx) : undefined;
      if (inner?.kind === 'array') args.push(...inner.elements);
      else if (inner?.kind === 'nil') continue;
      else if (inner && inner.kind !== 'dynamic' && inner.kind !== 'hash') args.push(inner);
      else {
        dynamicSplat = true;
        const span = nodeSpan(node);
        const reason = inner?.kind === 'dynamic' ? inner.reason : inner?.kind === 'hash' ? 'a splat of a Hash (its pairs)' : 'a splat';
        args.push({ kind: 'dynamic', span, source: ctx.sliceBytes(span.start, span.end), reason, missing: inner?.kind === 'dynamic' && inner.missing });
      }
    } else if (type === 'KeywordHashNode' && (node.elements ?? []).length > 0 && (node.elements ?? []).every((e: PrismNode) => nodeType(e) === 'AssocSplatNode' && nodeType(e.value) === 'HashNode' && (e.value.elements ?? []).length === 0)) {
      // `f("P", **{})`: Ruby passes no argument at all.
      continue;
    } else args.push(evaluate(node, ctx));
  }
  return { args, dynamicSplat };
}


/**
 * `firstLine` is the line the parsed source starts on, and `defined` the methods the rest of the file defines (`def`),
 * for a part of a file parsed alone (core/incremental.ts).
 */
export function buildRoleFile(result: ParseResult, sliceBytes: (start: number, end: number) => string, firstLine = 1, definedElsewhere?: ReadonlySet<string>): RoleFileModel {
  const ctx: EvalContext = { sliceBytes, firstLine };
  const findings: Finding[] = [];
  const calls: DslCall[] = [];
  const otherCalls: OtherCall[] = [];

  for (const e of result.errors) {
    const s = spanOfLocation(e.location);
    findings.push({ code: 'SYNTAX_ERROR', span: s, message: String(e.message) });
  }
  for (const w of result.warnings ?? []) {
    if (/key .* is duplicated/i.test(String(w.message))) {
      findings.push({ code: 'DUPLICATE_HASH_KEY', span: spanOfLocation(w.location), message: `${w.message}; Ruby keeps only the last value.` });
    }
  }
  const comments: Comment[] = result.comments.map((c: PrismNode) => {
    const s = spanOfLocation(c.location);
    return { span: s, text: sliceBytes(s.start, s.end) };
  });

  const reportDynamic = (v: Value) => {
    walkValue(v, (x) => {
      if (x.kind === 'dynamic') {
        if (x.unsupported) findings.push({ code: 'UNSUPPORTED_VALUE', span: x.span, message: x.unsupported });
        else if (!x.missing)
          findings.push({
            code: 'DYNAMIC_VALUE',
            span: x.span,
            message: `\`${x.source.length > 60 ? x.source.slice(0, 57) + '...' : x.source}\` is ${x.reason}: UFO computes it at deploy time, so it is not checked here and the preview shows it as unknown.`,
          });
        return false;
      }
      return true;
    });
  };

  const visitCall = (node: PrismNode, conditional: boolean) => {
    const name: string = node.name;
    const nameSpan: Span = node.messageLoc ? spanOfLocation(node.messageLoc) : nodeSpan(node);
    const span: Span = { start: nameSpan.start, end: nodeSpan(node).end };
    const argNodes: PrismNode[] = node.arguments_?.arguments_ ?? [];
    const { args: evaluated, dynamicSplat: hasSplat } = evaluateArguments(argNodes, ctx);
    const argsSpan = node.arguments_ ? nodeSpan(node.arguments_) : undefined;
    const openParen = node.openingLoc ? node.openingLoc.startOffset : undefined;
    const closeParen = node.closingLoc ? node.closingLoc.startOffset : undefined;
    if (name === 'iam_policy') {
      const args = evaluated;
      const arityOk = args.length === 2 || hasSplat;
      if (!arityOk) {
        findings.push({
          code: 'DSL_ARITY',
          span,
          message:
            args.length < 2
              ? `iam_policy takes 2 arguments (a policy name and its statements), got ${args.length}: UFO raises ArgumentError. Write iam_policy("Name", Action: [...], Effect: "Allow", Resource: "*").`
              : `iam_policy takes 2 arguments (a policy name and its statements), got ${args.length}: UFO raises ArgumentError. Put several statements in one array: iam_policy("Name", [{...}, {...}]).`,
        });
      }
      for (const a of args) reportDynamic(a);
      const statements: Value[] = [];
      if (arityOk && args.length === 2) deepFlatten(args[1], statements);
      calls.push({
        method: 'iam_policy',
        span,
        nameSpan,
        argsSpan,
        openParen,
        closeParen,
        conditional,
        hasSplat,
        args,
        policyName: arityOk ? args[0] : undefined,
        statementsArg: arityOk ? args[1] : undefined,
        statements,
        registers: arityOk && !hasSplat,
      });
    } else {
      const args = evaluated;
      for (const a of args) reportDynamic(a);
      const names: Value[] = [];
      for (const a of args) deepFlatten(a, names);
      for (const n of names) {
        if (n.kind === 'string' || n.kind === 'dynamic') continue;
        if (n.kind === 'hash') {
          // Not an exception: UFO builds the role, and CloudFormation rejects what it wrote.
          findings.push({
            code: 'MANAGED_POLICY_ARN_MANGLED',
            span: n.span,
            message: hashKeptByUfo(n)
              ? 'UFO keeps this Hash as it is (its test asks the Hash for the key "iam::aws:policy"), so ManagedPolicyArns holds a Hash and CloudFormation rejects the template. managed_iam_policy takes policy names as strings.'
              : 'UFO writes this Hash into the ARN "arn:aws:iam::aws:policy/" followed by its inspect, which is no policy, and CloudFormation rejects it. managed_iam_policy takes policy names as strings.',
          });
          continue;
        }
        findings.push({
          code: 'DSL_ARGUMENT_TYPE',
          span: n.span,
          message: `managed_iam_policy takes policy names as strings; UFO raises NoMethodError on ${n.kind === 'symbol' ? 'a Symbol' : n.kind === 'nil' ? 'nil' : `a${n.kind === 'integer' ? 'n' : ''} ${n.kind}`}.${n.kind === 'symbol' ? ` Write "${n.value}".` : ''}`,
        });
      }
      calls.push({ method: 'managed_iam_policy', span, nameSpan, argsSpan, openParen, closeParen, conditional, hasSplat, args, names });
    }
    if (conditional) {
      findings.push({
        code: 'CONDITIONAL_DSL_CALL',
        span: nameSpan,
        message: `This ${name} call runs only when its enclosing condition or block does at deploy time; the preview includes it.`,
      });
    }
  };

  // Methods the file defines itself are known (`def helper ... end` then `helper`).
  const defined = new Set<string>(definedElsewhere);
  for (const s of (result.value as PrismNode)?.statements?.body ?? []) if (nodeType(s) === 'DefNode') defined.add(s.name);

  const visit = (node: PrismNode, conditional: boolean, topLevel: boolean): void => {
    if (node == null || typeof node !== 'object') return;
    const t = nodeType(node);
    if (t === 'CallNode') {
      if (node.receiver == null && (node.name === 'iam_policy' || node.name === 'managed_iam_policy')) {
        visitCall(node, conditional);
        // A block on a DSL call is ignored by UFO; its contents never run.
        return;
      }
      if (node.receiver == null && topLevel && !conditional) {
        const name: string = node.name;
        const nameSpan = node.messageLoc ? spanOfLocation(node.messageLoc) : nodeSpan(node);
        otherCalls.push({ name, span: nodeSpan(node), nameSpan });
        if (!KNOWN_HELPERS.has(name) && !defined.has(name) && !name.endsWith('=')) {
          const suggestion = suggestDslMethod(name);
          findings.push({
            code: 'UNKNOWN_DSL_METHOD',
            span: nameSpan,
            message: suggestion
              ? `Unknown method \`${name}\`: did you mean \`${suggestion}\`? UFO raises NoMethodError.`
              : `Unknown method \`${name}\`: UFO role files know iam_policy and managed_iam_policy; UFO raises NoMethodError.`,
            data: suggestion ? { replacement: suggestion } : undefined,
          });
        }
      }
      // Look inside receivers, arguments and blocks (e.g. `[...].each do |x| iam_policy(...) end`).
      if (node.receiver) visit(node.receiver, conditional, false);
      for (const a of node.arguments_?.arguments_ ?? []) visit(a, conditional, false);
      if (node.block) visit(node.block, true, false);
      return;
    }
    if (t === 'StatementsNode') {
      for (const s of node.body) visit(s, conditional, topLevel);
      return;
    }
    if (t === 'ProgramNode') return visit(node.statements, conditional, true);
    if (t === 'BeginNode' && node.rescueClause == null && node.ensureClause == null && node.elseClause == null) {
      return visit(node.statements, conditional, topLevel);
    }
    if (t === 'DefNode' || t === 'ClassNode' || t === 'ModuleNode' || t === 'SingletonClassNode' || t === 'LambdaNode') return;
    if (t === 'ParenthesesNode') return visit(node.body, conditional, false);
    // Conditions, loops, blocks, rescue: anything below runs only sometimes.
    for (const key of Object.keys(node)) {
      if (key === 'location') continue;
      const child = node[key];
      if (Array.isArray(child)) for (const c of child) if (c && typeof c === 'object' && c.location) visit(c, true, false);
      if (child && typeof child === 'object' && child.location && child.constructor?.name?.endsWith('Node')) visit(child, true, false);
    }
  };
  visit(result.value, false, true);
  return { calls, otherCalls, comments, findings, hasSyntaxErrors: result.errors.length > 0 };
}
