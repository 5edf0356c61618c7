// The IAM policy language, in one home: the statement elements, the Effect values and the condition operators (with
// their categories and their `IfExists` and `ForAnyValue:` / `ForAllValues:` forms), the quotas of a role's policies,
// and the documentation pages; with the short docs completion and hover show. The checks, completion, hover and the
// preview all read these tables. Source: the IAM JSON policy element reference and the IAM quotas page of the IAM User
// Guide.

export const IAM_GUIDE = 'https://docs.aws.amazon.com/IAM/latest/UserGuide';
export const ELEMENTS_DOC_URL = `${IAM_GUIDE}/reference_policies_elements.html`;
export const QUOTAS_DOC_URL = `${IAM_GUIDE}/reference_iam-quotas.html`;
/** Non-whitespace characters of all inline policies of one role together. */
export const INLINE_POLICY_QUOTA = 10240;
/** Managed policies attached to one role, by default (a quota increase allows up to 20). */
export const MANAGED_POLICY_QUOTA = 10;
export const MANAGED_POLICY_QUOTA_MAX = 20;

const ELEMENTS_DOC = `${IAM_GUIDE}/reference_policies_elements_`;
export const CONDITION_OPERATORS_DOC_URL = `${IAM_GUIDE}/reference_policies_elements_condition_operators.html`;
export const MULTIVALUED_DOC_URL = `${IAM_GUIDE}/reference_policies_condition-single-vs-multi-valued-context-keys.html`;
export const EVALUATION_LOGIC_DOC_URL = `${IAM_GUIDE}/reference_policies_evaluation-logic.html`;

/** The elements IAM knows in a statement, as AWS spells them (STATEMENT_ELEMENTS documents each). */
export const POLICY_ELEMENTS = ['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'] as const;
export type PolicyElement = (typeof POLICY_ELEMENTS)[number];

export interface StatementElement {
  readonly name: PolicyElement;
  readonly summary: string;
  readonly doc: string;
  /** Keys that cannot be in the same statement. */
  readonly excludes: readonly string[];
  /** Offered by completion (Principal and NotPrincipal are not: role policies are identity policies). */
  readonly offered: boolean;
}

export const STATEMENT_ELEMENTS: readonly StatementElement[] = [
  {
    name: 'Effect',
    summary: 'Whether the statement allows or denies access: `"Allow"` or `"Deny"`. Required; an explicit Deny overrides every Allow.',
    doc: `${ELEMENTS_DOC}effect.html`,
    excludes: [],
    offered: true,
  },
  {
    name: 'Action',
    summary: 'The actions the statement allows or denies, as `service:Action`; `*` and `?` are wildcards, and names compare case-insensitively.',
    doc: `${ELEMENTS_DOC}action.html`,
    excludes: ['NotAction'],
    offered: true,
  },
  {
    name: 'NotAction',
    summary: 'Every action except the ones listed. With `"Allow"` it grants all other actions, also of services added later; prefer `Action` with an explicit list.',
    doc: `${ELEMENTS_DOC}notaction.html`,
    excludes: ['Action'],
    offered: true,
  },
  {
    name: 'Resource',
    summary: 'The resources the statement covers, as ARNs (`*` and `?` wildcards allowed), or `"*"` for all resources. Required.',
    doc: `${ELEMENTS_DOC}resource.html`,
    excludes: ['NotResource'],
    offered: true,
  },
  {
    name: 'NotResource',
    summary: 'Every resource except the ones listed. With `"Allow"` it grants access to all other resources.',
    doc: `${ELEMENTS_DOC}notresource.html`,
    excludes: ['Resource'],
    offered: true,
  },
  {
    name: 'Condition',
    summary: 'When the statement applies: `{ Operator => { "condition:key" => value(s) } }`. All operators must match; several values of one key are alternatives.',
    doc: `${ELEMENTS_DOC}condition.html`,
    excludes: [],
    offered: true,
  },
  {
    name: 'Sid',
    summary: 'An optional statement id. In IAM policies it may hold only ASCII letters and digits, and must be unique within the policy.',
    doc: `${ELEMENTS_DOC}sid.html`,
    excludes: [],
    offered: true,
  },
  {
    name: 'Principal',
    summary: 'Who the statement applies to, in resource-based and trust policies only. A role\'s inline policy is an identity policy: IAM rejects `Principal` there.',
    doc: `${ELEMENTS_DOC}principal.html`,
    excludes: ['NotPrincipal'],
    offered: false,
  },
  {
    name: 'NotPrincipal',
    summary: 'Everyone except the listed principals, in resource-based policies only; IAM rejects it in a role\'s inline policy.',
    doc: `${ELEMENTS_DOC}notprincipal.html`,
    excludes: ['Principal'],
    offered: false,
  },
];

const ELEMENTS_BY_LOWER = new Map(STATEMENT_ELEMENTS.map((e) => [e.name.toLowerCase(), e]));



/** The statement element of a key, case-insensitively (UFO copies keys verbatim, so `action:` stays wrong). */
export function findStatementElement(key: string): StatementElement | undefined {
  return ELEMENTS_BY_LOWER.get(key.toLowerCase());
}

export const EFFECT_VALUES: readonly { readonly name: 'Allow' | 'Deny'; readonly summary: string }[] = [
  { name: 'Allow', summary: 'Grants the actions on the resources, unless an explicit Deny, a permissions boundary or an SCP takes them away.' },
  { name: 'Deny', summary: 'Explicitly denies the actions on the resources; it overrides every Allow in any policy that applies.' },
];

/** What an operator compares, as the checks name it. */
export type OperatorKind = 'String' | 'Numeric' | 'Date' | 'Bool' | 'Binary' | 'IpAddress' | 'Arn' | 'Null';

export interface ConditionOperator {
  /** As written in a policy (`ForAnyValue:StringLikeIfExists`). */
  readonly name: string;
  /** The base operator (`StringLike`). */
  readonly base: string;
  /** What the base operator compares, for people: String, Numeric, Date, Bool, Binary, IP address, ARN, or Null. */
  readonly category: string;
  readonly kind: OperatorKind;
  readonly summary: string;
  readonly ifExists: boolean;
  readonly setOperator: 'ForAnyValue' | 'ForAllValues' | undefined;
  /**
   * A negated matching operator (`StringNotEquals`, `NotIpAddress`, `ArnNotLike`…): true when the value matches none
   * of the policy's values (NOR), and true when the key is absent (CONDITION_OPERATORS_DOC_URL).
   */
  readonly negated: boolean;
  /** The base operator it negates (`StringNotLike` → `StringLike`); the base itself for a positive operator. */
  readonly positiveBase: string;
}

const BASE_OPERATORS: readonly (readonly [name: string, category: string, summary: string])[] = [
  ['StringEquals', 'String', 'Exact match, case-sensitive.'],
  ['StringNotEquals', 'String', 'Negated exact match, case-sensitive.'],
  ['StringEqualsIgnoreCase', 'String', 'Exact match, ignoring case.'],
  ['StringNotEqualsIgnoreCase', 'String', 'Negated exact match, ignoring case.'],
  ['StringLike', 'String', 'Case-sensitive match; `*` matches any characters and `?` one character, anywhere in the value.'],
  ['StringNotLike', 'String', 'Negated case-sensitive match with `*` and `?` wildcards.'],
  ['NumericEquals', 'Numeric', 'Number equals.'],
  ['NumericNotEquals', 'Numeric', 'Number does not equal.'],
  ['NumericLessThan', 'Numeric', 'Number is less than the value.'],
  ['NumericLessThanEquals', 'Numeric', 'Number is less than or equal to the value.'],
  ['NumericGreaterThan', 'Numeric', 'Number is greater than the value.'],
  ['NumericGreaterThanEquals', 'Numeric', 'Number is greater than or equal to the value.'],
  ['DateEquals', 'Date', 'Date equals; dates in ISO 8601 (`2026-01-31T12:00:00Z`) or epoch seconds.'],
  ['DateNotEquals', 'Date', 'Date does not equal.'],
  ['DateLessThan', 'Date', 'Date is before the value.'],
  ['DateLessThanEquals', 'Date', 'Date is at or before the value.'],
  ['DateGreaterThan', 'Date', 'Date is after the value.'],
  ['DateGreaterThanEquals', 'Date', 'Date is at or after the value.'],
  ['Bool', 'Bool', 'Boolean match: `"true"` or `"false"` (e.g. `aws:SecureTransport`).'],
  ['BinaryEquals', 'Binary', 'Byte-for-byte match of a base-64 encoded value.'],
  ['IpAddress', 'IP address', 'The address is in the IPv4 or IPv6 CIDR range (`203.0.113.0/24`).'],
  ['NotIpAddress', 'IP address', 'The address is outside the CIDR range.'],
  ['ArnEquals', 'ARN', 'Case-sensitive ARN match, component by component; `*` and `?` allowed in each component (same as ArnLike).'],
  ['ArnLike', 'ARN', 'Case-sensitive ARN match, component by component; `*` and `?` allowed in each component.'],
  ['ArnNotEquals', 'ARN', 'Negated ARN match (same as ArnNotLike).'],
  ['ArnNotLike', 'ARN', 'Negated ARN match with wildcards.'],
  ['Null', 'Null', '`"true"`: the key is absent from the request; `"false"`: it is present (with any value).'],
];

const IF_EXISTS_SUMMARY = '`…IfExists`: if the key is absent from the request, the condition is true; otherwise it is evaluated as the base operator.';
const SET_SUMMARY: Record<'ForAnyValue' | 'ForAllValues', string> = {
  ForAnyValue: '`ForAnyValue:` for multivalued keys: true if at least one value in the request matches one of the policy\'s values; false if the key is absent or empty.',
  ForAllValues: '`ForAllValues:` for multivalued keys: true if every value in the request matches one of the policy\'s values, and also true if the key is absent or empty (so pair it with a `Null` check when used with Allow).',
};

function buildOperators(): ConditionOperator[] {
  const out: ConditionOperator[] = [];
  const forms: { set: 'ForAnyValue' | 'ForAllValues' | undefined; ifExists: boolean }[] = [
    { set: undefined, ifExists: false },
    { set: undefined, ifExists: true },
    { set: 'ForAnyValue', ifExists: false },
    { set: 'ForAllValues', ifExists: false },
    { set: 'ForAnyValue', ifExists: true },
    { set: 'ForAllValues', ifExists: true },
  ];
  for (const form of forms) {
    for (const [base, category, summary] of BASE_OPERATORS) {
      // Null has neither an IfExists form nor a set form: it tests presence itself.
      if (base === 'Null' && (form.ifExists || form.set)) continue;
      const name = `${form.set ? `${form.set}:` : ''}${base}${form.ifExists ? 'IfExists' : ''}`;
      const kind = (category === 'IP address' ? 'IpAddress' : category === 'ARN' ? 'Arn' : category) as OperatorKind;
      const negated = base.includes('Not');
      out.push({ name, base, category, kind, summary, ifExists: form.ifExists, setOperator: form.set, negated, positiveBase: negated ? base.replace('Not', '') : base });
    }
  }
  return out;
}

/** Every condition operator, plain ones first, then IfExists forms, then set-operator forms. */
export const CONDITION_OPERATORS: readonly ConditionOperator[] = buildOperators();

const OPERATORS_BY_LOWER = new Map(CONDITION_OPERATORS.map((o) => [o.name.toLowerCase(), o]));

const KIND_OF_BASE = new Map(CONDITION_OPERATORS.map((o) => [o.base, o.kind]));

/** What a base operator (`StringLike`, without `IfExists` or a set prefix) compares; undefined for no operator. */
export function operatorKind(base: string): OperatorKind | undefined {
  return KIND_OF_BASE.get(base);
}

/** A condition operator as written (case-insensitive lookup; IAM itself is case-sensitive about operators). */
export function findConditionOperator(name: string): ConditionOperator | undefined {
  return OPERATORS_BY_LOWER.get(name.toLowerCase());
}

/** The markdown paragraphs that explain an operator's forms. */
export function operatorExplanation(op: ConditionOperator): string[] {
  const out = [`**${op.base}** (${op.category}): ${op.summary}`];
  if (op.ifExists) out.push(IF_EXISTS_SUMMARY);
  if (op.setOperator) out.push(SET_SUMMARY[op.setOperator]);
  return out;
}
