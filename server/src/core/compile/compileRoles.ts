// Compiles role file models into exactly the resources UFO builds (docs/ufo-semantics.md §3–7, checklist §8):
// registry semantics (deep flatten, Ruby `eql?` de-duplication in first-insertion order), the managed
// policy ARN rule, the fixed trust policy, key order, and the v5/v6 squeeze rules.
import { hashKeptByUfo, type Value } from '../model/values';
import type { RoleFileModel } from '../model/roleFile';
import type { Finding } from '../findings';
import { literalToS } from '../parse/evaluate';
import { RubyFloat, Unknown, cmap, containsUnknown, type CMap, type CValue } from './cvalue';

export type RoleType = 'task_role' | 'execution_role';
export type LogicalId = 'TaskRole' | 'ExecutionRole';
export type UfoVersion = 5 | 6;

export const LOGICAL_IDS: Record<RoleType, LogicalId> = { task_role: 'TaskRole', execution_role: 'ExecutionRole' };
/** The order of the two roles in UFO's `Resources` (docs/ufo-semantics.md §6): ExecutionRole before TaskRole. */
export const ROLE_ORDER: readonly RoleType[] = ['execution_role', 'task_role'];

/** Codes for which UFO itself raises while evaluating the file: the build fails. */
export const RAISING_CODES = new Set(['SYNTAX_ERROR', 'PARSE_FAILURE', 'FILE_TOO_LARGE', 'UNREADABLE_FILE', 'DSL_ARITY', 'DSL_ARGUMENT_TYPE', 'UNKNOWN_DSL_METHOD']);

export interface CompiledRole {
  readonly roleType: RoleType;
  readonly logicalId: LogicalId;
  /** The `AWS::IAM::Role` resource, or undefined when UFO builds no role (nothing registered). */
  readonly resource?: CMap;
  /** True when dynamic values or conditional calls make the result depend on deploy time. */
  readonly partial: boolean;
  /** Findings for which UFO raises: when non-empty, UFO's build fails. */
  readonly raises: readonly Finding[];
}

/** Ruby `eql?`/`hash` identity of a value: hash key order ignored, Symbol ≠ String, 1 ≠ 1.0. */
export function eqlKey(v: Value): string {
  switch (v.kind) {
    case 'string':
      return `s${JSON.stringify(v.value)}`;
    case 'symbol':
      return `y${JSON.stringify(v.value)}`;
    case 'integer':
      return `i${v.value}`;
    case 'float':
      return `f${v.value === 0 ? 0 : v.value}`;
    case 'boolean':
      return v.value ? 't' : 'F';
    case 'nil':
      return 'n';
    case 'dynamic':
      return `d${JSON.stringify(v.source)}`;
    case 'array':
      return `[${v.elements.map(eqlKey).join(',')}]`;
    case 'hash': {
      const effective = new Map<string, string>();
      for (const e of v.entries) effective.set(eqlKey(e.key), eqlKey(e.value));
      return `{${[...effective].map(([k, x]) => `${k}=>${x}`).sort().join(',')}}`;
    }
  }
}

/** Ruby's `to_s` of a hash key, as `deep_stringify_keys` applies it. */
function stringifyKey(v: Value): string {
  if (v.kind === 'dynamic') return new Unknown(v.source).toString();
  // A Hash key's to_s is its inspect, which differs between Ruby versions: unknown, never guessed.
  return literalToS(v) ?? new Unknown('the to_s of a Hash used as a key').toString();
}

/**
 * The value as it lands in UFO's template: keys stringified, a Symbol value written as Psych writes
 * it (`:name`, which CloudFormation reads as the string ":name"), unknown values kept as unknown.
 */
export function toCValue(v: Value, version: UfoVersion): CValue {
  switch (v.kind) {
    case 'string':
      return v.value;
    case 'symbol':
      return `:${v.value}`;
    case 'integer':
      return v.value;
    case 'float':
      return new RubyFloat(v.value);
    case 'boolean':
      return v.value;
    case 'nil':
      return null;
    case 'dynamic':
      return new Unknown(v.source);
    case 'array':
      return v.elements.map((e) => toCValue(e, version));
    case 'hash': {
      // A literal with a repeated key (also through `**{...}`) keeps the last value at the last position: Ruby drops
      // the earlier occurrence. Then `deep_stringify_keys` builds a new hash, so when `:a` and `"a"` collide the
      // first keeps its place and takes the last value (Map#set does the same).
      const keys = v.entries.map((e) => (e.key.kind === 'dynamic' ? undefined : eqlKey(e.key)));
      const last = new Map<string, number>();
      keys.forEach((k, i) => k !== undefined && last.set(k, i));
      const m: CMap = new Map();
      v.entries.forEach((e, i) => {
        if (keys[i] !== undefined && last.get(keys[i]!) !== i) return;
        m.set(stringifyKey(e.key), toCValue(e.value, version));
      });
      return m;
    }
  }
}

/** Ufo::Utils::Squeezer (docs/ufo-semantics.md §8): v6 drops nil values and nil array elements; v5 drops nil and empty-array hash values. */
export function squeeze(v: CValue, version: UfoVersion): CValue {
  if (Array.isArray(v)) {
    const items = version === 6 ? v.filter((x) => x !== null) : v;
    return items.map((x) => squeeze(x, version));
  }
  if (v instanceof Map) {
    const out: CMap = new Map();
    for (const [k, x] of v) {
      if (x === null) continue;
      const s = squeeze(x, version);
      if (version === 5 && Array.isArray(s) && s.length === 0) continue;
      out.set(k, s);
    }
    return out;
  }
  return v;
}

/** UFO's managed policy ARN rule (docs/ufo-semantics.md §4): a substring test, mangling included. */
export function managedPolicyArn(name: string): string {
  return name.includes('iam::aws:policy') ? name : `arn:aws:iam::aws:policy/${name}`;
}

export function trustPolicy(): CMap {
  return cmap([
    ['Version', '2012-10-17'],
    [
      'Statement',
      [
        cmap([
          ['Effect', 'Allow'],
          ['Principal', cmap([['Service', 'ecs-tasks.amazonaws.com']])],
          ['Action', 'sts:AssumeRole'],
        ]),
      ],
    ],
  ]);
}

export function compileRole(roleType: RoleType, model: RoleFileModel | undefined, version: UfoVersion): CompiledRole {
  const logicalId = LOGICAL_IDS[roleType];
  if (!model) return { roleType, logicalId, partial: false, raises: [] };
  const raises = model.findings.filter((f) => RAISING_CODES.has(f.code));
  let partial = false;

  // Registry.policies[role_type]: a Set of [policy_name, statements].
  const policies = new Map<string, { name: Value; statements: readonly Value[] }>();
  const managed = new Map<string, CValue>();
  for (const call of model.calls) {
    if (call.conditional || call.hasSplat) partial = true;
    if (call.method === 'iam_policy') {
      if (!call.registers || !call.policyName) continue;
      const key = `${eqlKey(call.policyName)}|[${call.statements.map(eqlKey).join(',')}]`;
      if (!policies.has(key)) policies.set(key, { name: call.policyName, statements: call.statements });
    } else {
      for (const n of call.names) {
        if (n.kind === 'string') {
          if (!managed.has(`s${n.value}`)) managed.set(`s${n.value}`, managedPolicyArn(n.value));
        } else if (n.kind === 'dynamic') {
          if (!managed.has(`d${n.source}`)) managed.set(`d${n.source}`, new Unknown(n.source));
        } else if (n.kind === 'hash') {
          // `item.include?('iam::aws:policy')` asks a Hash for that key: a hash with such a key is kept as it is, any
          // other is interpolated into "arn:aws:iam::aws:policy/#{item}" with its inspect, which differs between Rubies.
          const key = `h${eqlKey(n)}`;
          if (!managed.has(key)) managed.set(key, hashKeptByUfo(n) ? toCValue(n, version) : new Unknown(`arn:aws:iam::aws:policy/ followed by the inspect of a Hash`));
        }
      }
    }
  }
  if (policies.size === 0 && managed.size === 0) return { roleType, logicalId, partial, raises };

  const properties: CMap = cmap([['AssumeRolePolicyDocument', trustPolicy()]]);
  if (policies.size > 0) {
    properties.set(
      'Policies',
      [...policies.values()].map((p) =>
        cmap([
          ['PolicyName', toCValue(p.name, version)],
          [
            'PolicyDocument',
            cmap([
              ['Version', '2012-10-17'],
              ['Statement', p.statements.map((s) => toCValue(s, version))],
            ]),
          ],
        ]),
      ),
    );
  }
  if (managed.size > 0) properties.set('ManagedPolicyArns', [...managed.values()]);
  const resource = squeeze(
    cmap([
      ['Type', 'AWS::IAM::Role'],
      ['Properties', properties],
    ]),
    version,
  ) as CMap;
  return { roleType, logicalId, resource, partial: partial || containsUnknown(resource), raises };
}

/** Both roles in UFO's resource order; a role UFO does not build is absent from the map. */
export function compileRoles(models: Partial<Record<RoleType, RoleFileModel>>, version: UfoVersion): { roles: CompiledRole[]; resources: CMap } {
  const roles = ROLE_ORDER.map((t) => compileRole(t, models[t], version));
  const resources: CMap = new Map();
  for (const r of roles) if (r.resource) resources.set(r.logicalId, r.resource);
  return { roles, resources };
}
