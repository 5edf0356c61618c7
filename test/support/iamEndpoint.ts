// A local emulator of AWS IAM's Query API (plus STS GetCallerIdentity, and CloudFormation's
// DescribeStackResources / DescribeStackResource over the stacks a test seeds) on 127.0.0.1, over HTTP (or HTTPS
// with a certificate the test gives, `tls`), for driving the
// real `@aws-sdk/client-iam` and `@aws-sdk/client-cloudformation` in tests. It is faithful
// where our plan/apply code depends on AWS behaviour: URL-encoded policy documents, XML errors with the
// `x-amzn-requestid` header (the SDK reads the request id only from that header), pagination
// through Marker/IsTruncated/MaxItems, the error codes IAM returns, and IAM's quotas (10 managed
// policies per role, 10,240 non-whitespace characters of inline policy per role).
//
// Standalone, for the end-to-end suite:
//   npx tsx test/support/iamEndpoint.ts [--port N] [--host H] [--page-size N]
// prints the URL on the first line of stdout and serves until SIGINT/SIGTERM. The same process answers
// JSON control requests under /__emulator/ (state, inject, seed-role, seed-stack, reset), described at `handleControl`.
import * as http from 'node:http';
import * as https from 'node:https';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';

export const EMULATOR_ACCOUNT_ID = '123456789012';
export const EMULATOR_CALLER_ARN = `arn:aws:iam::${EMULATOR_ACCOUNT_ID}:user/ufo-iam-test`;

const IAM_NS = 'https://iam.amazonaws.com/doc/2010-05-08/';
const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const CFN_NS = 'http://cloudformation.amazonaws.com/doc/2010-05-15/';
/** The region the emulated stacks live in (their ARNs name it). */
export const EMULATOR_REGION = 'us-east-1';
/** IAM's default quota of managed policies attached to one role. */
export const MANAGED_POLICIES_PER_ROLE = 10;
/** IAM's quota for all inline policies of one role together, whitespace not counted. */
export const INLINE_POLICY_CHARS_PER_ROLE = 10_240;
/** IAM's default quota for a trust policy (ACLSizePerRole), whitespace not counted. */
export const TRUST_POLICY_CHARS = 2_048;

/** Actions that change state, so tests can assert exactly which writes an apply made. */
export const MUTATING_ACTIONS: ReadonlySet<string> = new Set([
  'CreateRole',
  'DeleteRole',
  'UpdateAssumeRolePolicy',
  'PutRolePolicy',
  'DeleteRolePolicy',
  'AttachRolePolicy',
  'DetachRolePolicy',
  'TagRole',
  'UntagRole',
]);

export interface EmulatedRole {
  roleName: string;
  path: string;
  arn: string;
  roleId: string;
  createDate: string;
  description?: string;
  /** Stored exactly as sent, like IAM (the raw JSON text, not URL-encoded). */
  assumeRolePolicyDocument: string;
  tags: Map<string, string>;
  /** Attached managed policies in attachment order: ARN → policy name. */
  attached: Map<string, string>;
  /** Inline policies in creation order: name → document text exactly as sent. */
  inline: Map<string, string>;
}

/** A deployed CloudFormation stack, as far as ufo-iam reads one: its resources. */
export interface EmulatedStack {
  stackName: string;
  stackId: string;
  resources: Array<{ logicalId: string; physicalId: string; type: string; status: string }>;
}

export interface ManagedPolicy {
  arn: string;
  name: string;
  path: string;
}

/** One request as the emulator saw it. */
export interface RecordedRequest {
  action: string;
  service: 'iam' | 'sts' | 'cloudformation';
  params: Record<string, string>;
  /** The access key id from the SigV4 Authorization header, if the request was signed. */
  accessKeyId?: string;
  status: number;
  errorCode?: string;
}

/** A fault to return instead of executing matching requests. */
export interface Injection {
  /** The IAM/STS action name, e.g. `PutRolePolicy`; `*` matches every action. */
  action: string;
  /** The error code, e.g. `AccessDenied`, `Throttling`, `LimitExceeded`, `ServiceFailure`. */
  error: string;
  /** How many matching requests fail (default 1). `Infinity` for all of them. */
  times?: number;
  /** Only requests for this role (the `RoleName` parameter). */
  roleName?: string;
  /** Overrides the realistic default message. `{accessKeyId}` is replaced by the caller's key id. */
  message?: string;
  /** Overrides the default HTTP status for the code. */
  status?: number;
}

export interface IamEndpointOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  host?: string;
  /** The largest page any List* call returns, whatever MaxItems asks (IAM may also return fewer). Default 100. */
  pageSize?: number;
  /**
   * The managed policies that exist. Default: every AWS managed policy in iam-floyd's generated list
   * (≈1,584). Pass ARNs to use exactly those instead.
   */
  managedPolicyArns?: readonly string[];
  /** More policies that exist, in addition to the default set (e.g. customer managed ones). */
  extraManagedPolicyArns?: readonly string[];
  /** If set, only these access key ids are accepted; others get InvalidClientTokenId. */
  acceptedAccessKeyIds?: readonly string[];
  /** Serve HTTPS with this key and certificate (PEM) instead of HTTP. */
  tls?: { key: string; cert: string };
}

export interface IamEndpoint {
  readonly url: string;
  readonly port: number;
  readonly state: IamState;
  /** Every request in arrival order. */
  readonly requests: RecordedRequest[];
  inject(injection: Injection): void;
  close(): Promise<void>;
}

class IamError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Realistic status codes and messages of the errors tests inject. */
const INJECTED_DEFAULTS: Record<string, { status: number; message: (action: string, p: URLSearchParams) => string }> = {
  AccessDenied: {
    status: 403,
    message: (action, p) =>
      `User: ${EMULATOR_CALLER_ARN} is not authorized to perform: iam:${action} on resource: ` +
      `role ${p.get('RoleName') ?? '*'} because no identity-based policy allows the iam:${action} action`,
  },
  Throttling: { status: 400, message: () => 'Rate exceeded' },
  LimitExceeded: { status: 409, message: (_a, p) => `Cannot exceed quota for PoliciesPerRole: ${MANAGED_POLICIES_PER_ROLE} (role ${p.get('RoleName')})` },
  ServiceFailure: { status: 500, message: () => 'An internal error occurred.' },
  ServiceUnavailable: { status: 503, message: () => 'Service is unavailable.' },
  InvalidClientTokenId: { status: 403, message: () => 'The security token included in the request is invalid.' },
  ExpiredToken: { status: 403, message: () => 'The security token included in the request is expired' },
};

const esc = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** IAM returns policy documents URL-encoded (RFC 3986); the SDK does not decode them. */
const urlEncode = (s: string): string => encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());
const nonWhitespaceLength = (s: string): number => s.replace(/\s/g, '').length;

const NAME_PATTERN = /^[\w+=,.@-]+$/;

function validateName(value: string | null, field: string, max: number): string {
  if (value === null || value === '') throw new IamError(400, 'ValidationError', `1 validation error detected: Value null at '${field}' failed to satisfy constraint: Member must not be null`);
  if (value.length > max) {
    throw new IamError(400, 'ValidationError', `1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: Member must have length less than or equal to ${max}`);
  }
  if (!NAME_PATTERN.test(value)) {
    throw new IamError(400, 'ValidationError', `1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+`);
  }
  return value;
}

function required(p: URLSearchParams, key: string): string {
  const v = p.get(key);
  if (v === null) throw new IamError(400, 'ValidationError', `1 validation error detected: Value null at '${key[0].toLowerCase() + key.slice(1)}' failed to satisfy constraint: Member must not be null`);
  return v;
}

/** Checks a policy document the way IAM's parser does for the mistakes that matter here. */
function checkPolicyDocument(text: string, kind: 'identity' | 'trust'): void {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new IamError(400, 'MalformedPolicyDocument', 'Syntax errors in policy.');
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new IamError(400, 'MalformedPolicyDocument', 'Syntax errors in policy.');
  const d = doc as Record<string, unknown>;
  if (d.Version !== undefined && d.Version !== '2012-10-17' && d.Version !== '2008-10-17') {
    throw new IamError(400, 'MalformedPolicyDocument', 'The policy failed legacy parsing');
  }
  if (d.Statement === undefined) throw new IamError(400, 'MalformedPolicyDocument', 'Missing required field Statement');
  const statements = Array.isArray(d.Statement) ? d.Statement : [d.Statement];
  if (statements.length === 0) throw new IamError(400, 'MalformedPolicyDocument', 'Missing required field Statement');
  for (const s of statements) {
    if (typeof s !== 'object' || s === null || Array.isArray(s)) throw new IamError(400, 'MalformedPolicyDocument', 'Syntax errors in policy.');
    const st = s as Record<string, unknown>;
    if (st.Effect === undefined) throw new IamError(400, 'MalformedPolicyDocument', 'Missing required field Effect');
    if (st.Effect !== 'Allow' && st.Effect !== 'Deny') throw new IamError(400, 'MalformedPolicyDocument', `Invalid effect: ${String(st.Effect)}`);
    const actions = st.Action ?? st.NotAction;
    if (actions === undefined) throw new IamError(400, 'MalformedPolicyDocument', 'Policy statement must contain actions.');
    for (const a of Array.isArray(actions) ? actions : [actions]) {
      if (typeof a !== 'string' || (a !== '*' && !a.includes(':'))) {
        throw new IamError(400, 'MalformedPolicyDocument', 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.');
      }
    }
    if (kind === 'identity') {
      if (st.Principal !== undefined || st.NotPrincipal !== undefined) throw new IamError(400, 'MalformedPolicyDocument', 'Policy document should not specify a principal.');
      if (st.Resource === undefined && st.NotResource === undefined) throw new IamError(400, 'MalformedPolicyDocument', 'Policy statement must contain resources.');
    } else {
      if (st.Principal === undefined && st.NotPrincipal === undefined) throw new IamError(400, 'MalformedPolicyDocument', 'Missing required field Principal');
      if (st.Resource !== undefined) throw new IamError(400, 'MalformedPolicyDocument', 'Has prohibited field Resource');
    }
  }
}

function loadDefaultManagedPolicyArns(): string[] {
  // iam-floyd's generated list holds every AWS managed policy as 'path/Name'.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { AwsManagedPolicy } = require('iam-floyd/lib/generated/aws-managed-policies') as { AwsManagedPolicy: Record<string, string> };
  return Object.values(AwsManagedPolicy).map((p) => `arn:aws:iam::aws:policy/${p}`);
}

function policyFromArn(arn: string): ManagedPolicy {
  const m = /^arn:aws[\w-]*:iam::(?:aws|\d{12}):policy(\/.*\/|\/)([^/]+)$/.exec(arn);
  if (!m) throw new Error(`not a managed policy ARN: ${arn}`);
  return { arn, path: m[1], name: m[2] };
}

/** The emulator's data. Tests read it to check outcomes and seed it to set up live state. */
export class IamState {
  readonly roles = new Map<string, EmulatedRole>();
  readonly managedPolicies = new Map<string, ManagedPolicy>();
  readonly stacks = new Map<string, EmulatedStack>();

  constructor(arns: readonly string[]) {
    for (const arn of arns) this.managedPolicies.set(arn, policyFromArn(arn));
  }

  /** Case-insensitive lookup: IAM role names are unique regardless of case. */
  findRole(name: string): EmulatedRole | undefined {
    const exact = this.roles.get(name);
    if (exact) return exact;
    const lower = name.toLowerCase();
    for (const r of this.roles.values()) if (r.roleName.toLowerCase() === lower) return r;
    return undefined;
  }

  /** Creates a role directly, bypassing the API (and its checks), as if someone else had made it. */
  seedRole(seed: {
    roleName: string;
    path?: string;
    trustPolicy?: unknown;
    tags?: Record<string, string>;
    inline?: Record<string, unknown>;
    attached?: readonly string[];
  }): EmulatedRole {
    const text = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));
    const path = seed.path ?? '/';
    const role: EmulatedRole = {
      roleName: seed.roleName,
      path,
      arn: `arn:aws:iam::${EMULATOR_ACCOUNT_ID}:role${path}${seed.roleName}`,
      roleId: newId('AROA'),
      createDate: new Date().toISOString(),
      assumeRolePolicyDocument: text(
        seed.trustPolicy ?? {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        },
      ),
      tags: new Map(Object.entries(seed.tags ?? {})),
      attached: new Map(),
      inline: new Map(Object.entries(seed.inline ?? {}).map(([k, v]) => [k, text(v)])),
    };
    for (const arn of seed.attached ?? []) {
      if (!this.managedPolicies.has(arn)) this.managedPolicies.set(arn, policyFromArn(arn));
      role.attached.set(arn, policyFromArn(arn).name);
    }
    this.roles.set(role.roleName, role);
    return role;
  }

  /** A plain-JSON view of a role with parsed documents, for assertions and the control API. */
  snapshot(name: string):
    | { roleName: string; arn: string; trustPolicy: unknown; tags: Record<string, string>; inline: Record<string, unknown>; attached: string[] }
    | undefined {
    const r = this.findRole(name);
    if (!r) return undefined;
    return {
      roleName: r.roleName,
      arn: r.arn,
      trustPolicy: JSON.parse(r.assumeRolePolicyDocument),
      tags: Object.fromEntries(r.tags),
      inline: Object.fromEntries([...r.inline].map(([k, v]) => [k, JSON.parse(v)])),
      attached: [...r.attached.keys()],
    };
  }

  /**
   * A stack as `ufo ship` leaves it: the role resources UFO builds (no RoleName, so CloudFormation names them
   * `<stack>-<LogicalId>-<RANDOM>`, untagged), each created with the given content, plus the other resources of a
   * UFO stack that ufo-iam must leave alone.
   */
  seedStack(seed: {
    stackName: string;
    roles?: Partial<Record<'TaskRole' | 'ExecutionRole', { inline?: Record<string, unknown>; attached?: readonly string[]; trustPolicy?: unknown }>>;
  }): EmulatedStack {
    const stack: EmulatedStack = {
      stackName: seed.stackName,
      stackId: `arn:aws:cloudformation:${EMULATOR_REGION}:${EMULATOR_ACCOUNT_ID}:stack/${seed.stackName}/${randomUUID()}`,
      resources: [],
    };
    for (const logicalId of ['ExecutionRole', 'TaskRole'] as const) {
      const r = seed.roles?.[logicalId];
      if (!r) continue;
      const roleName = `${seed.stackName}-${logicalId}-${newId('').slice(0, 12)}`;
      this.seedRole({ roleName, ...r });
      stack.resources.push({ logicalId, physicalId: roleName, type: 'AWS::IAM::Role', status: 'CREATE_COMPLETE' });
    }
    stack.resources.push({ logicalId: 'TaskDefinition', physicalId: `arn:aws:ecs:${EMULATOR_REGION}:${EMULATOR_ACCOUNT_ID}:task-definition/${seed.stackName}:1`, type: 'AWS::ECS::TaskDefinition', status: 'CREATE_COMPLETE' });
    stack.resources.push({ logicalId: 'EcsService', physicalId: `arn:aws:ecs:${EMULATOR_REGION}:${EMULATOR_ACCOUNT_ID}:service/dev/${seed.stackName}`, type: 'AWS::ECS::Service', status: 'CREATE_COMPLETE' });
    this.stacks.set(stack.stackName, stack);
    return stack;
  }

  /** A stack by name or stack id, as CloudFormation accepts either. */
  findStack(nameOrId: string): EmulatedStack | undefined {
    return this.stacks.get(nameOrId) ?? [...this.stacks.values()].find((s) => s.stackId === nameOrId);
  }

  reset(): void {
    this.roles.clear();
    this.stacks.clear();
  }
}

function newId(prefix: string): string {
  return prefix + randomUUID().replace(/-/g, '').slice(0, 17).toUpperCase();
}

/** Starts the emulator. Close it when done (`await endpoint.close()`). */
export async function startIamEndpoint(options: IamEndpointOptions = {}): Promise<IamEndpoint> {
  const pageSize = options.pageSize ?? 100;
  if (!(pageSize >= 1)) throw new Error('pageSize must be at least 1');
  const state = new IamState([...(options.managedPolicyArns ?? loadDefaultManagedPolicyArns()), ...(options.extraManagedPolicyArns ?? [])]);
  const requests: RecordedRequest[] = [];
  const injections: Array<Injection & { left: number }> = [];

  const role = (p: URLSearchParams): EmulatedRole => {
    const name = validateName(p.get('RoleName'), 'roleName', 64);
    const r = state.findRole(name);
    if (!r) throw new IamError(404, 'NoSuchEntity', `The role with name ${name} cannot be found.`);
    return r;
  };

  const roleXml = (r: EmulatedRole, tag = 'Role'): string =>
    `<${tag}><Path>${esc(r.path)}</Path><Arn>${esc(r.arn)}</Arn><RoleName>${esc(r.roleName)}</RoleName>` +
    `<AssumeRolePolicyDocument>${esc(urlEncode(r.assumeRolePolicyDocument))}</AssumeRolePolicyDocument>` +
    (r.description !== undefined ? `<Description>${esc(r.description)}</Description>` : '') +
    `<CreateDate>${r.createDate}</CreateDate><RoleId>${r.roleId}</RoleId><MaxSessionDuration>3600</MaxSessionDuration>` +
    (r.tags.size ? `<Tags>${[...r.tags].map(([k, v]) => `<member><Key>${esc(k)}</Key><Value>${esc(v)}</Value></member>`).join('')}</Tags>` : '') +
    `</${tag}>`;

  /** Slices a list per Marker/MaxItems; the page is never longer than the configured page size. */
  const page = <T>(p: URLSearchParams, items: readonly T[]): { items: T[]; tail: string } => {
    let start = 0;
    const marker = p.get('Marker');
    if (marker !== null) {
      start = Number(Buffer.from(marker, 'base64').toString('utf8').replace(/^ufo-emulator:/, ''));
      if (!Number.isInteger(start) || start < 0 || !Buffer.from(marker, 'base64').toString('utf8').startsWith('ufo-emulator:')) {
        throw new IamError(400, 'ValidationError', 'Invalid Marker.');
      }
    }
    let max = pageSize;
    const maxItems = p.get('MaxItems');
    if (maxItems !== null) {
      const n = Number(maxItems);
      if (!Number.isInteger(n) || n < 1 || n > 1000) {
        throw new IamError(400, 'ValidationError', `1 validation error detected: Value '${maxItems}' at 'maxItems' failed to satisfy constraint: Member must have value between 1 and 1000`);
      }
      max = Math.min(n, pageSize);
    }
    const slice = items.slice(start, start + max);
    const next = start + slice.length;
    const truncated = next < items.length;
    return {
      items: slice,
      tail: `<IsTruncated>${truncated}</IsTruncated>` + (truncated ? `<Marker>${Buffer.from(`ufo-emulator:${next}`).toString('base64')}</Marker>` : ''),
    };
  };

  const listParams = (p: URLSearchParams, prefix: string): string[] => {
    const out: string[] = [];
    for (let i = 1; p.has(`${prefix}.member.${i}`); i++) out.push(p.get(`${prefix}.member.${i}`)!);
    return out;
  };
  const tagParams = (p: URLSearchParams): Array<[string, string]> => {
    const out: Array<[string, string]> = [];
    for (let i = 1; p.has(`Tags.member.${i}.Key`); i++) out.push([p.get(`Tags.member.${i}.Key`)!, p.get(`Tags.member.${i}.Value`) ?? '']);
    if (out.length > 50) throw new IamError(409, 'LimitExceeded', 'Cannot exceed quota for TagsPerRole: 50');
    return out;
  };
  const checkTrust = (doc: string): void => {
    checkPolicyDocument(doc, 'trust');
    if (nonWhitespaceLength(doc) > TRUST_POLICY_CHARS) {
      throw new IamError(409, 'LimitExceeded', `Cannot exceed quota for ACLSizePerRole: ${TRUST_POLICY_CHARS}`);
    }
  };

  const iamActions: Record<string, (p: URLSearchParams) => string> = {
    CreateRole(p) {
      const name = validateName(p.get('RoleName'), 'roleName', 64);
      const doc = required(p, 'AssumeRolePolicyDocument');
      if (state.findRole(name)) throw new IamError(409, 'EntityAlreadyExists', `Role with name ${name} already exists.`);
      checkTrust(doc);
      const tags = tagParams(p);
      const r = state.seedRole({ roleName: name, path: p.get('Path') ?? '/', trustPolicy: doc, tags: Object.fromEntries(tags) });
      if (p.get('Description') !== null) r.description = p.get('Description')!;
      return roleXml(r);
    },
    GetRole: (p) => roleXml(role(p)),
    ListRoles(p) {
      const { items, tail } = page(p, [...state.roles.values()]);
      return `<Roles>${items.map((r) => roleXml(r, 'member')).join('')}</Roles>${tail}`;
    },
    DeleteRole(p) {
      const r = role(p);
      if (r.attached.size) throw new IamError(409, 'DeleteConflict', 'Cannot delete entity, must detach all policies first.');
      if (r.inline.size) throw new IamError(409, 'DeleteConflict', 'Cannot delete entity, must delete policies first.');
      state.roles.delete(r.roleName);
      return '';
    },
    UpdateAssumeRolePolicy(p) {
      const r = role(p);
      const doc = required(p, 'PolicyDocument');
      checkTrust(doc);
      r.assumeRolePolicyDocument = doc;
      return '';
    },
    TagRole(p) {
      const r = role(p);
      const tags = tagParams(p);
      const merged = new Map(r.tags);
      for (const [k, v] of tags) merged.set(k, v);
      if (merged.size > 50) throw new IamError(409, 'LimitExceeded', 'Cannot exceed quota for TagsPerRole: 50');
      r.tags = merged;
      return '';
    },
    UntagRole(p) {
      const r = role(p);
      for (const k of listParams(p, 'TagKeys')) r.tags.delete(k);
      return '';
    },
    ListRoleTags(p) {
      const { items, tail } = page(p, [...role(p).tags]);
      return `<Tags>${items.map(([k, v]) => `<member><Key>${esc(k)}</Key><Value>${esc(v)}</Value></member>`).join('')}</Tags>${tail}`;
    },
    AttachRolePolicy(p) {
      const r = role(p);
      const arn = required(p, 'PolicyArn');
      if (!/^arn:aws[\w-]*:iam::(aws|\d{12}):policy\//.test(arn)) throw new IamError(400, 'InvalidInput', `ARN ${arn} is not valid.`);
      const policy = state.managedPolicies.get(arn);
      if (!policy) throw new IamError(404, 'NoSuchEntity', `Policy ${arn} does not exist or is not attachable.`);
      if (r.attached.has(arn)) return ''; // IAM treats a repeated attach as success.
      if (r.attached.size >= MANAGED_POLICIES_PER_ROLE) {
        throw new IamError(409, 'LimitExceeded', `Cannot exceed quota for PoliciesPerRole: ${MANAGED_POLICIES_PER_ROLE}`);
      }
      r.attached.set(arn, policy.name);
      return '';
    },
    DetachRolePolicy(p) {
      const r = role(p);
      const arn = required(p, 'PolicyArn');
      if (!r.attached.delete(arn)) throw new IamError(404, 'NoSuchEntity', `Policy ${arn} was not found.`);
      return '';
    },
    ListAttachedRolePolicies(p) {
      const r = role(p);
      const prefix = p.get('PathPrefix') ?? '/';
      const all = [...r.attached].filter(([arn]) => (state.managedPolicies.get(arn)?.path ?? '/').startsWith(prefix));
      const { items, tail } = page(p, all);
      return `<AttachedPolicies>${items.map(([arn, n]) => `<member><PolicyName>${esc(n)}</PolicyName><PolicyArn>${esc(arn)}</PolicyArn></member>`).join('')}</AttachedPolicies>${tail}`;
    },
    PutRolePolicy(p) {
      const r = role(p);
      const name = validateName(p.get('PolicyName'), 'policyName', 128);
      const doc = required(p, 'PolicyDocument');
      checkPolicyDocument(doc, 'identity');
      let total = nonWhitespaceLength(doc);
      for (const [n, d] of r.inline) if (n !== name) total += nonWhitespaceLength(d);
      if (total > INLINE_POLICY_CHARS_PER_ROLE) {
        throw new IamError(409, 'LimitExceeded', `Maximum policy size of ${INLINE_POLICY_CHARS_PER_ROLE} bytes exceeded for role ${r.roleName}`);
      }
      r.inline.set(name, doc);
      return '';
    },
    GetRolePolicy(p) {
      const r = role(p);
      const name = validateName(p.get('PolicyName'), 'policyName', 128);
      const doc = r.inline.get(name);
      if (doc === undefined) throw new IamError(404, 'NoSuchEntity', `The role policy with name ${name} cannot be found.`);
      return `<RoleName>${esc(r.roleName)}</RoleName><PolicyName>${esc(name)}</PolicyName><PolicyDocument>${esc(urlEncode(doc))}</PolicyDocument>`;
    },
    DeleteRolePolicy(p) {
      const r = role(p);
      const name = validateName(p.get('PolicyName'), 'policyName', 128);
      if (!r.inline.delete(name)) throw new IamError(404, 'NoSuchEntity', `The role policy with name ${name} cannot be found.`);
      return '';
    },
    ListRolePolicies(p) {
      const { items, tail } = page(p, [...role(p).inline.keys()]);
      return `<PolicyNames>${items.map((n) => `<member>${esc(n)}</member>`).join('')}</PolicyNames>${tail}`;
    },
  };

  const stsActions: Record<string, (p: URLSearchParams) => string> = {
    GetCallerIdentity: () => `<Arn>${EMULATOR_CALLER_ARN}</Arn><UserId>AIDAUFOIAMEMULATOR01</UserId><Account>${EMULATOR_ACCOUNT_ID}</Account>`,
  };

  const cfnMember = (st: EmulatedStack, r: EmulatedStack['resources'][number], detail: boolean): string =>
    `<StackId>${esc(st.stackId)}</StackId><StackName>${esc(st.stackName)}</StackName><LogicalResourceId>${esc(r.logicalId)}</LogicalResourceId>` +
    `<PhysicalResourceId>${esc(r.physicalId)}</PhysicalResourceId><ResourceType>${esc(r.type)}</ResourceType>` +
    `<${detail ? 'LastUpdatedTimestamp' : 'Timestamp'}>2026-11-30T12:00:00.000Z</${detail ? 'LastUpdatedTimestamp' : 'Timestamp'}>` +
    `<ResourceStatus>${esc(r.status)}</ResourceStatus>`;
  const stackOf = (p: URLSearchParams): EmulatedStack => {
    const name = p.get('StackName');
    if (!name) throw new IamError(400, 'ValidationError', 'StackName must be specified');
    const st = state.findStack(name);
    if (!st) throw new IamError(400, 'ValidationError', `Stack with id ${name} does not exist`);
    return st;
  };
  const cfnActions: Record<string, (p: URLSearchParams) => string> = {
    DescribeStackResources(p) {
      const st = stackOf(p);
      const only = p.get('LogicalResourceId');
      const list = st.resources.filter((r) => !only || r.logicalId === only);
      return `<StackResources>${list.map((r) => `<member>${cfnMember(st, r, false)}</member>`).join('')}</StackResources>`;
    },
    DescribeStackResource(p) {
      const st = stackOf(p);
      const id = required(p, 'LogicalResourceId');
      const r = st.resources.find((x) => x.logicalId === id);
      if (!r) throw new IamError(400, 'ValidationError', `Resource ${id} does not exist for stack ${st.stackName}`);
      return `<StackResourceDetail>${cfnMember(st, r, true)}</StackResourceDetail>`;
    },
  };

  const takeInjection = (action: string, p: URLSearchParams): Injection | undefined => {
    const i = injections.findIndex(
      (inj) => inj.left > 0 && (inj.action === '*' || inj.action === action) && (inj.roleName === undefined || inj.roleName === p.get('RoleName')),
    );
    if (i < 0) return undefined;
    injections[i].left--;
    return injections[i];
  };

  const handleQuery = (body: string, req: http.IncomingMessage, res: http.ServerResponse): void => {
    const p = new URLSearchParams(body);
    const action = p.get('Action') ?? '';
    const version = p.get('Version');
    const service: RecordedRequest['service'] = version === '2011-06-15' ? 'sts' : version === '2010-05-15' ? 'cloudformation' : 'iam';
    const ns = service === 'sts' ? STS_NS : service === 'cloudformation' ? CFN_NS : IAM_NS;
    const requestId = randomUUID();
    const accessKeyId = /Credential=([^/,\s]+)\//.exec(String(req.headers.authorization ?? ''))?.[1];
    const record: RecordedRequest = { action, service, params: Object.fromEntries(p), accessKeyId, status: 200 };
    requests.push(record);
    res.setHeader('Content-Type', 'text/xml');
    res.setHeader('x-amzn-requestid', requestId);
    try {
      if (!req.headers.authorization) throw new IamError(403, 'MissingAuthenticationToken', 'Request is missing Authentication Token');
      if (options.acceptedAccessKeyIds && !options.acceptedAccessKeyIds.includes(accessKeyId ?? '')) {
        throw new IamError(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.');
      }
      const handler = (service === 'sts' ? stsActions : service === 'cloudformation' ? cfnActions : iamActions)[action];
      if (!handler) throw new IamError(400, 'InvalidAction', `Could not find operation ${action} for version ${p.get('Version')}`);
      const inj = takeInjection(action, p);
      if (inj) {
        const d = INJECTED_DEFAULTS[inj.error];
        const message = (inj.message ?? d?.message(action, p) ?? `Injected ${inj.error}`).replace(/\{accessKeyId\}/g, accessKeyId ?? '');
        throw new IamError(inj.status ?? d?.status ?? 400, inj.error, message);
      }
      const result = handler(p);
      res.end(
        `<${action}Response xmlns="${ns}">` +
          (result === '' ? '' : `<${action}Result>${result}</${action}Result>`) +
          `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`,
      );
    } catch (e) {
      const err = e instanceof IamError ? e : new IamError(500, 'ServiceFailure', (e as Error).message);
      record.status = err.status;
      record.errorCode = err.code;
      res.statusCode = err.status;
      res.end(
        `<ErrorResponse xmlns="${ns}"><Error><Type>${err.status < 500 ? 'Sender' : 'Receiver'}</Type>` +
          `<Code>${esc(err.code)}</Code><Message>${esc(err.message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      );
    }
  };

  /**
   * The control API for out-of-process users (the end-to-end suite), all JSON:
   * GET /__emulator/state → { roles: [snapshot…], requests }; POST /__emulator/inject with an Injection;
   * POST /__emulator/seed-role with a `seedRole` argument; POST /__emulator/seed-stack with a `seedStack` argument
   * (answers the stack); POST /__emulator/reset clears roles, stacks, requests and injections.
   */
  const handleControl = (url: string, method: string, body: string, res: http.ServerResponse): void => {
    res.setHeader('Content-Type', 'application/json');
    try {
      const input = body ? JSON.parse(body) : {};
      let out: unknown = { ok: true };
      if (method === 'GET' && url === '/__emulator/state') {
        out = { roles: [...state.roles.keys()].map((n) => state.snapshot(n)), stacks: [...state.stacks.values()], requests };
      } else if (method === 'POST' && url === '/__emulator/inject') {
        endpoint.inject(input as Injection);
      } else if (method === 'POST' && url === '/__emulator/seed-role') {
        out = state.snapshot(state.seedRole(input).roleName);
      } else if (method === 'POST' && url === '/__emulator/seed-stack') {
        out = state.seedStack(input);
      } else if (method === 'POST' && url === '/__emulator/reset') {
        state.reset();
        requests.length = 0;
        injections.length = 0;
      } else {
        res.statusCode = 404;
        out = { error: `unknown control request ${method} ${url}` };
      }
      res.end(JSON.stringify(out));
    } catch (e) {
      res.statusCode = 400;
      res.end(JSON.stringify({ error: (e as Error).message }));
    }
  };

  const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const url = req.url ?? '/';
      if (url.startsWith('/__emulator/')) return handleControl(url, req.method ?? 'GET', body, res);
      // The Query API also accepts GET with the parameters in the query string.
      handleQuery(req.method === 'GET' ? url.replace(/^[^?]*\??/, '') : body, req, res);
    });
  };
  const server: http.Server | https.Server = options.tls ? https.createServer(options.tls, handler) : http.createServer(handler);
  // Keep-alive sockets would hold close() open for the SDK's idle connections.
  server.keepAliveTimeout = 1000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  const endpoint: IamEndpoint = {
    url: `${options.tls ? 'https' : 'http'}://${host}:${address.port}`,
    port: address.port,
    state,
    requests,
    inject(injection) {
      if (!injection.action || !injection.error) throw new Error('an injection needs an action and an error code');
      injections.push({ ...injection, left: injection.times ?? 1 });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
  return endpoint;
}

function argValue(args: string[], name: string): string | undefined {
  const i = args.indexOf(name);
  if (i >= 0) return args[i + 1];
  const eq = args.find((a) => a.startsWith(`${name}=`));
  return eq?.slice(name.length + 1);
}

async function main(args: string[]): Promise<void> {
  const port = argValue(args, '--port');
  const pageSize = argValue(args, '--page-size');
  const endpoint = await startIamEndpoint({
    port: port === undefined ? 0 : Number(port),
    host: argValue(args, '--host'),
    pageSize: pageSize === undefined ? undefined : Number(pageSize),
  });
  process.stdout.write(`${endpoint.url}\n`);
  const stop = (): void => {
    void endpoint.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((e: unknown) => {
    process.stderr.write(`iamEndpoint: ${(e as Error).message}\n`);
    process.exit(1);
  });
}
