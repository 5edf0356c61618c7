// The statements of a compiled role, each with its source (docs/evaluation.md): its inline policies' statements, tied
// back to the role file's model (the statement's byte span, and whether UFO registers it only conditionally), then
// the statements of its attached AWS managed policies from the bundled IAM data. An attached policy whose document
// the data does not have (customer managed, an unknown name, a wrong path, a deploy-time value) is an
// `unknownDocument` entry, never guessed.
import { Unknown, fromPlain, type CMap, type CValue } from '../compile/cvalue';
import { eqlKey, type UfoVersion } from '../compile/compileRoles';
import type { RoleFileModel } from '../model/roleFile';
import type { Span } from '../text/span';
import type { IamKnowledge } from '../iam/iamKnowledge';
import type { EvalStatement } from './types';

export interface RoleStatementsOptions {
  /** The role file's model: gives each inline statement its span and whether its call is conditional. */
  readonly model?: RoleFileModel;
  /** The UFO version the role was compiled for (v6 drops nil statements, which shifts the indices). Default 6. */
  readonly version?: UfoVersion;
}

interface InlineSource {
  readonly spans: readonly Span[];
  readonly conditional: boolean;
}

/**
 * For each compiled policy (in the order of `Policies`), the spans of its statements and whether every call that
 * registers it is conditional. Mirrors compileRole's registry: the first of equal `iam_policy` calls is the one kept.
 */
export function inlineSources(model: RoleFileModel, version: UfoVersion = 6): InlineSource[] {
  const byKey = new Map<string, { spans: Span[]; conditional: boolean }>();
  for (const call of model.calls) {
    if (call.method !== 'iam_policy' || !call.registers || !call.policyName) continue;
    const key = `${eqlKey(call.policyName)}|[${call.statements.map(eqlKey).join(',')}]`;
    const known = byKey.get(key);
    if (known) {
      if (!call.conditional) known.conditional = false;
      continue;
    }
    const kept = version === 6 ? call.statements.filter((s) => s.kind !== 'nil') : call.statements;
    byKey.set(key, { spans: kept.map((s) => s.span), conditional: call.conditional });
  }
  return [...byKey.values()];
}

/** Managed policy names/ARNs that only conditional calls attach (as compiled: `arn:aws:iam::aws:policy/<name>`). */
function conditionalManaged(model: RoleFileModel): Set<string> {
  const conditional = new Set<string>();
  const certain = new Set<string>();
  for (const call of model.calls) {
    if (call.method !== 'managed_iam_policy') continue;
    for (const n of call.names) {
      if (n.kind !== 'string') continue;
      const arn = n.value.includes('iam::aws:policy') ? n.value : `arn:aws:iam::aws:policy/${n.value}`;
      (call.conditional ? conditional : certain).add(arn);
    }
  }
  for (const c of certain) conditional.delete(c);
  return conditional;
}

/**
 * A managed policy's document as the evaluator reads it, converted once per document of the IAM data: the same
 * statement objects then come back for every role and every edit, so what the evaluator prepares per statement (its
 * action patterns, what they reach) is prepared once.
 */
const managedDocuments = new WeakMap<object, CValue>();

function managedDocumentValue(document: unknown): CValue {
  if (document === null || typeof document !== 'object') return fromPlain(document);
  let value = managedDocuments.get(document);
  if (value === undefined) managedDocuments.set(document, (value = fromPlain(document)));
  return value;
}

const text = (v: CValue | undefined): string | undefined => (typeof v === 'string' ? v : v instanceof Unknown ? v.toString() : undefined);

/**
 * The statements of a compiled `AWS::IAM::Role` resource (as compileRoles builds it): inline policies first, in
 * order, then the attached managed policies' statements.
 */
export function roleStatements(resource: CMap | undefined, iam: IamKnowledge, options: RoleStatementsOptions = {}): EvalStatement[] {
  const out: EvalStatement[] = [];
  const properties = resource?.get('Properties');
  if (!(properties instanceof Map)) return out;
  const sources = options.model ? inlineSources(options.model, options.version) : undefined;
  const policies = properties.get('Policies');
  if (Array.isArray(policies)) {
    policies.forEach((policy, policyIndex) => {
      if (!(policy instanceof Map)) return;
      const policyName = text(policy.get('PolicyName')) ?? '';
      const document = policy.get('PolicyDocument');
      const statements = document instanceof Map ? document.get('Statement') : undefined;
      const source = sources?.[policyIndex];
      const list = Array.isArray(statements) ? statements : statements === undefined ? [] : [statements];
      list.forEach((statement, statementIndex) => {
        const sid = statement instanceof Map ? text(statement.get('Sid')) : undefined;
        out.push({
          statement,
          certain: !(source?.conditional ?? false),
          source: {
            kind: 'inline',
            policyName,
            policyIndex,
            statementIndex,
            ...(sid !== undefined ? { sid } : {}),
            ...(source?.spans[statementIndex] ? { span: source.spans[statementIndex] } : {}),
          },
        });
      });
    });
  }
  const managed = properties.get('ManagedPolicyArns');
  const conditional = options.model ? conditionalManaged(options.model) : new Set<string>();
  if (Array.isArray(managed)) {
    for (const entry of managed) {
      const arn = typeof entry === 'string' ? entry : entry instanceof Unknown ? entry.toString() : String(entry);
      const certain = !conditional.has(arn);
      const unknown = (reason: string) => out.push({ certain, source: { kind: 'unknownDocument', arn, reason } });
      if (typeof entry !== 'string') {
        unknown('the managed policy is computed at deploy time');
        continue;
      }
      if (!/^arn:aws[a-z-]*:iam::aws:policy\//.test(entry)) {
        unknown('not an AWS managed policy (customer managed policies are not in the IAM data)');
        continue;
      }
      const match = iam.findManagedPolicy(entry);
      if (!match) {
        unknown('no AWS managed policy has this name in the IAM data');
        continue;
      }
      if (!match.pathMatches || match.policy.name !== entry.slice(entry.lastIndexOf('/') + 1)) {
        unknown(`no AWS managed policy has this ARN (AWS's is ${match.policy.arn})`);
        continue;
      }
      const doc = iam.managedPolicyDocument(entry);
      if (!doc) {
        unknown('the IAM data has no document for this policy');
        continue;
      }
      const document = managedDocumentValue(doc.document);
      const statements = document instanceof Map ? document.get('Statement') : undefined;
      const list = Array.isArray(statements) ? statements : statements === undefined ? [] : [statements];
      list.forEach((statement, statementIndex) => {
        const sid = statement instanceof Map ? text(statement.get('Sid')) : undefined;
        out.push({
          statement,
          certain,
          source: { kind: 'managed', policyName: match.policy.name, arn: match.policy.arn, versionId: doc.versionId, statementIndex, ...(sid !== undefined ? { sid } : {}) },
        });
      });
    }
  }
  // An iam_policy call whose arguments a dynamic splat (`*args`) supplies registers a policy only deploy time knows
  // (compileRoles leaves it out): unknown, never guessed. (A managed_iam_policy splat compiles to an unknown ARN.)
  for (const call of options.model?.calls ?? []) {
    if (call.method !== 'iam_policy' || !call.hasSplat || call.registers) continue;
    out.push({ statement: new Unknown('the arguments of an iam_policy call with a splat'), certain: false, source: { kind: 'inline', policyName: '<dynamic: splat>', policyIndex: -1, statementIndex: -1, span: call.span } });
  }
  return out;
}
