// Reads the desired state of one role out of the CloudFormation resource UFO builds
// (`{Type: "AWS::IAM::Role", Properties: {AssumeRolePolicyDocument, Policies?, ManagedPolicyArns?}}`,
// docs/ufo-semantics.md §6), and reports what IAM could not hold. Pure.
import { type LogicalId, fromPlain, toCompactJson } from '../core';
import type { Json } from './policyJson';

/** One role to plan: its compiled resource and the IAM name ufo-iam gives it. */
export interface DesiredRoleInput {
  logicalId: LogicalId;
  roleName: string;
  /** The plain-JSON resource exactly as UFO builds it. */
  resource: unknown;
  /** The role file it was compiled from, for messages. */
  file?: string;
}

export interface DesiredRoleState {
  logicalId: LogicalId;
  roleName: string;
  file?: string;
  trustPolicy: Json;
  /** In UFO's order (first registration, docs/ufo-semantics.md §3). */
  inlinePolicies: Array<{ name: string; document: Json }>;
  managedPolicyArns: string[];
}

export interface PlanProblem {
  /** A stable UPPER_SNAKE code. */
  code: string;
  message: string;
  logicalId?: LogicalId;
  roleName?: string;
  file?: string;
}

const isObject = (v: unknown): v is Map<string, Json> => v instanceof Map;
const str = (v: Json | undefined): string | undefined => (typeof v === 'string' ? v : undefined);
const POLICY_NAME = /^[\w+=,.@-]{1,128}$/;
/** Properties UFO's builder emits; anything else arrived through custom properties (docs/ufo-semantics.md §9). */
const BUILT_PROPERTIES = new Set(['AssumeRolePolicyDocument', 'Policies', 'ManagedPolicyArns']);

export function readDesiredRole(input: DesiredRoleInput): { state?: DesiredRoleState; errors: PlanProblem[]; warnings: PlanProblem[] } {
  const errors: PlanProblem[] = [];
  const warnings: PlanProblem[] = [];
  const where = { logicalId: input.logicalId, roleName: input.roleName, ...(input.file ? { file: input.file } : {}) };
  const error = (code: string, message: string): void => void errors.push({ code, message, ...where });

  // The compiled resource (a CMap), or plain data shaped like it (tests): read exactly either way.
  const r = fromPlain(input.resource);
  if (!isObject(r) || r.get('Type') !== 'AWS::IAM::Role' || !isObject(r.get('Properties'))) {
    error('INVALID_ROLE_RESOURCE', `${input.logicalId} is not an AWS::IAM::Role resource with Properties.`);
    return { errors, warnings };
  }
  const props = r.get('Properties') as Map<string, Json>;
  if (!isObject(props.get('AssumeRolePolicyDocument'))) {
    error('INVALID_ROLE_RESOURCE', `${input.logicalId} has no AssumeRolePolicyDocument object.`);
  }
  for (const key of props.keys()) {
    if (!BUILT_PROPERTIES.has(key)) {
      warnings.push({
        code: 'IGNORED_PROPERTY',
        message: `${input.logicalId}.Properties.${key} is not applied by ufo-iam (it manages the trust policy, inline and managed policies only; the role name comes from the role name template).`,
        ...where,
      });
    }
  }

  const inlinePolicies: DesiredRoleState['inlinePolicies'] = [];
  const policies = props.get('Policies');
  if (policies !== undefined) {
    if (!Array.isArray(policies)) {
      error('INVALID_ROLE_RESOURCE', `${input.logicalId}.Properties.Policies is not an array.`);
    } else {
      const seen = new Map<string, number>();
      policies.forEach((p, i) => {
        const name = isObject(p) ? str(p.get('PolicyName')) : undefined;
        if (!isObject(p) || name === undefined || !isObject(p.get('PolicyDocument'))) {
          error('INVALID_ROLE_RESOURCE', `${input.logicalId}.Properties.Policies[${i}] needs a string PolicyName and an object PolicyDocument.`);
          return;
        }
        if (!POLICY_NAME.test(name)) {
          error(
            'INVALID_POLICY_NAME',
            `Inline policy name "${name}" is not valid in IAM: use 1 to 128 characters of letters, digits and + = , . @ _ -.`,
          );
        }
        const first = seen.get(name);
        if (first !== undefined) {
          // UFO keeps both entries (docs/ufo-semantics.md §3) but IAM holds one policy per name; merging or
          // picking one silently would apply something nobody wrote.
          error(
            'DUPLICATE_INLINE_POLICY_NAME',
            `${input.logicalId} has two inline policies named "${name}" (entries ${first + 1} and ${i + 1}) with different statements. ` +
              `UFO keeps both, but IAM can hold only one policy per name. Rename one iam_policy(...) call or merge the statements into one.`,
          );
          return;
        }
        seen.set(name, i);
        inlinePolicies.push({ name, document: p.get('PolicyDocument')! });
      });
    }
  }

  const managedPolicyArns: string[] = [];
  const arns = props.get('ManagedPolicyArns');
  if (arns !== undefined) {
    if (!Array.isArray(arns)) {
      error('INVALID_ROLE_RESOURCE', `${input.logicalId}.Properties.ManagedPolicyArns is not an array.`);
    } else {
      for (const arn of arns) {
        if (typeof arn !== 'string') {
          error('INVALID_MANAGED_POLICY_ARN', `${input.logicalId}.Properties.ManagedPolicyArns holds a non-string value ${toCompactJson(arn)}.`);
        } else if (/^arn:[^:]+:iam::aws:policy\/.*arn:/.test(arn) || /^arn:[^:]+:iam::aws:policy\/\//.test(arn)) {
          error(
            'INVALID_MANAGED_POLICY_ARN',
            `Managed policy ARN ${arn} is malformed: UFO prefixes every managed_iam_policy name with arn:aws:iam::aws:policy/, ` +
              `so customer managed ARNs and names starting with "/" cannot be attached this way.`,
          );
        } else if (!/^arn:[^:]+:iam::(aws|\d{12}):policy\/./.test(arn)) {
          error('INVALID_MANAGED_POLICY_ARN', `${arn} is not a managed policy ARN.`);
        } else if (managedPolicyArns.includes(arn)) {
          warnings.push({ code: 'DUPLICATE_MANAGED_POLICY', message: `${arn} is listed twice in ${input.logicalId}; it is attached once.`, ...where });
        } else {
          managedPolicyArns.push(arn);
        }
      }
    }
  }

  if (errors.length > 0) return { errors, warnings };
  return {
    state: {
      logicalId: input.logicalId,
      roleName: input.roleName,
      ...(input.file ? { file: input.file } : {}),
      trustPolicy: props.get('AssumeRolePolicyDocument')!,
      inlinePolicies,
      managedPolicyArns,
    },
    errors,
    warnings,
  };
}
