// Turns AWS SDK failures into errors that say what happened and what to do, and keeps credentials out
// of every message. Pure: the session passes in the secrets it knows and the operation it was calling.

/** What was being done when a call failed, so the explanation can name the role, policy or ARN. */
export interface CallContext {
  /** The IAM/STS operation, e.g. `PutRolePolicy`. */
  operation: string;
  service: 'iam' | 'sts' | 'cloudformation' | 'credentials';
  roleName?: string;
  policyName?: string;
  policyArn?: string;
  /** The endpoint the call went to, shown only when it was set explicitly. */
  endpoint?: string;
}

/** An AWS failure, explained. `message` is safe to show and log: it never contains credentials. */
export class AwsOperationError extends Error {
  override readonly name = 'AwsOperationError';
  constructor(
    /** The operation that failed, e.g. `AttachRolePolicy`. */
    readonly operation: string,
    /** AWS's error code (`AccessDenied`, `NoSuchEntity`, `Throttling`, …) or a local one (`NetworkError`, `CredentialsNotFound`). */
    readonly code: string,
    /** AWS's own message, redacted. */
    readonly awsMessage: string,
    /** What the user should do about it. */
    readonly explanation: string,
    readonly details: {
      /** For AccessDenied: the IAM action the caller lacks, e.g. `iam:PutRolePolicy`. */
      missingPermission?: string;
      httpStatus?: number;
      requestId?: string;
      attempts?: number;
    } = {},
  ) {
    super(`${operation} failed (${code}): ${awsMessage}${explanation ? `\n${explanation}` : ''}`);
  }
}

const ACCESS_KEY_PATTERN = /\b(?:AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}\b/g;

/**
 * Removes credentials from a text: every known secret value (access key id, secret key, session token)
 * and, as a second line of defence, anything shaped like an access key id or a SigV4 signature.
 */
export function redactSecrets(text: string, secrets: Iterable<string>): string {
  let out = text;
  // Longest first, so a secret that contains another is removed whole.
  for (const s of [...secrets].filter((v) => v.length >= 8).sort((a, b) => b.length - a.length)) {
    out = out.split(s).join('[redacted]');
  }
  return out
    .replace(ACCESS_KEY_PATTERN, '[redacted access key id]')
    .replace(/Credential=[^,\s]+/g, 'Credential=[redacted]')
    .replace(/Signature=[0-9a-fA-F]+/g, 'Signature=[redacted]')
    .replace(/(X-Amz-Security-Token=)[^&\s]+/gi, '$1[redacted]')
    .replace(/(aws_(?:secret_access_key|session_token)\s*=\s*)\S+/gi, '$1[redacted]');
}

/** The SDK error fields we read; everything else on the object (raw responses, headers) is ignored. */
interface SdkErrorLike {
  name?: string;
  message?: string;
  Code?: string;
  code?: string;
  $fault?: string;
  $metadata?: { httpStatusCode?: number; requestId?: string; attempts?: number };
}

const THROTTLING = new Set(['Throttling', 'ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded', 'SlowDown']);
const BAD_CREDENTIALS = new Set([
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'ExpiredTokenException',
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'MissingAuthenticationToken',
  'IncompleteSignature',
  'InvalidAccessKeyId',
]);
const NETWORK = new Set(['ECONNREFUSED', 'ENOTFOUND', 'ECONNRESET', 'ETIMEDOUT', 'EAI_AGAIN', 'EHOSTUNREACH', 'TimeoutError']);

/** IAM's modeled errors, which the SDK names `<Code>Exception`; the explanations use IAM's `<Code>`. */
const MODELED = /^(NoSuchEntity|EntityAlreadyExists|LimitExceeded|MalformedPolicyDocument|DeleteConflict|InvalidInput|ServiceFailure|UnmodifiableEntity|ConcurrentModification|PolicyNotAttachable)Exception$/;

/** The error code as IAM's `<Code>` element spells it. */
export function errorCode(e: unknown): string {
  const err = (e ?? {}) as SdkErrorLike;
  const raw = (typeof err.Code === 'string' && err.Code) || (typeof err.code === 'string' && err.code) || err.name || 'Error';
  return raw.replace(MODELED, '$1');
}

/** Reads the IAM action out of AccessDenied messages such as "… is not authorized to perform: iam:PutRolePolicy on resource: …". */
export function missingPermissionFrom(message: string): string | undefined {
  const m = /not authorized to perform:?\s+([a-z0-9-]+:[A-Za-z0-9*]+)/.exec(message) ?? /\b(?:action|permission)\s+([a-z0-9-]+:[A-Z][A-Za-z0-9]+)/.exec(message);
  return m?.[1];
}

const what = (c: CallContext): string => {
  if (c.policyName) return `inline policy "${c.policyName}" of role ${c.roleName}`;
  if (c.policyArn) return `managed policy ${c.policyArn} on role ${c.roleName}`;
  if (c.roleName) return `role ${c.roleName}`;
  return 'the request';
};

/** Explains any error thrown by an SDK call. Returns an AwsOperationError whose texts are redacted. */
export function explainAwsError(e: unknown, context: CallContext, secrets: Iterable<string>): AwsOperationError {
  if (e instanceof AwsOperationError) return e;
  const secretList = [...secrets];
  const err = (e ?? {}) as SdkErrorLike;
  const code = errorCode(e);
  const awsMessage = redactSecrets(String(err.message ?? e), secretList);
  const details = {
    httpStatus: err.$metadata?.httpStatusCode,
    requestId: err.$metadata?.requestId,
    attempts: err.$metadata?.attempts,
  };
  const op = context.operation;
  const target = what(context);
  let explanation: string;
  let missingPermission: string | undefined;

  if (code === 'AccessDenied' || code === 'AccessDeniedException' || code === 'UnauthorizedOperation') {
    missingPermission = missingPermissionFrom(awsMessage) ?? `${context.service === 'sts' ? 'sts' : context.service === 'cloudformation' ? 'cloudformation' : 'iam'}:${op}`;
    explanation =
      `The credentials in use lack the permission ${missingPermission}` +
      (context.roleName ? ` on role ${context.roleName}` : '') +
      `. Grant ${missingPermission} to this identity (or use a profile that has it), then run the plan again.`;
  } else if (code === 'NoSuchEntity') {
    if (op === 'AttachRolePolicy' && context.policyArn) {
      explanation =
        `IAM has no attachable managed policy ${context.policyArn}. Check the name given to managed_iam_policy(...): ` +
        `AWS managed policies are case-sensitive and many need their path (for example service-role/AmazonECSTaskExecutionRolePolicy), ` +
        `and UFO prefixes every name with arn:aws:iam::aws:policy/, so customer managed policies cannot be named this way.`;
    } else if (op === 'DetachRolePolicy' || op === 'DeleteRolePolicy') {
      explanation = `The ${target} was already gone; someone changed the role since the plan. Run the plan again.`;
    } else {
      explanation = `The ${target} does not exist (any more); it may have been deleted since the plan. Run the plan again.`;
    }
  } else if (code === 'LimitExceeded') {
    if (/PoliciesPerRole/i.test(awsMessage) || op === 'AttachRolePolicy') {
      explanation =
        `Role ${context.roleName} would have more managed policies than IAM allows (10 by default). ufo-iam attaches new policies before ` +
        `detaching old ones, so the role never loses permissions mid-apply; at the quota that needs room. Remove a managed_iam_policy(...) ` +
        `line, merge some into iam_policy(...), detach a policy that the plan detaches by hand, or ask for a higher ` +
        `"Managed policies per role" quota in Service Quotas; then run apply again.`;
    } else if (/size|bytes|characters/i.test(awsMessage) || op === 'PutRolePolicy') {
      explanation =
        `The inline policies of role ${context.roleName} together exceed IAM's 10,240 characters (whitespace not counted). ` +
        `Shorten them (wildcards such as "s3:Get*", fewer repeated ARNs), or move permissions into managed policies; then run apply again.`;
    } else if (/ACLSize/i.test(awsMessage)) {
      explanation = `The trust policy of role ${context.roleName} is longer than IAM allows (2,048 characters by default). Shorten it.`;
    } else {
      explanation = `An IAM quota was reached for ${target}. Free some room or ask for a higher quota in Service Quotas, then run apply again.`;
    }
  } else if (code === 'MalformedPolicyDocument') {
    explanation =
      `IAM rejected the document of ${target}. Fix the iam_policy(...) call that builds it: every statement needs ` +
      `Effect ("Allow" or "Deny"), Action (service-prefixed, like "s3:GetObject") and Resource, and no Principal; then run the plan again.`;
  } else if (code === 'EntityAlreadyExists') {
    explanation = `Role ${context.roleName} was created by someone else after the plan. Run the plan again (and adopt it if it should be managed here).`;
  } else if (code === 'ValidationError' || code === 'InvalidInput') {
    explanation = `IAM rejected a parameter of ${target}. Role names allow 64 and policy names 128 characters of letters, digits and + = , . @ _ -.`;
  } else if (THROTTLING.has(code)) {
    explanation = `AWS kept throttling ${op}${details.attempts ? ` after ${details.attempts} attempts` : ''}. Wait a minute and run apply again; what is done stays done.`;
  } else if (BAD_CREDENTIALS.has(code)) {
    explanation =
      `AWS did not accept the credentials (${code}). Check the profile, refresh an SSO login (aws sso login --profile …) ` +
      `or renew expired session credentials.`;
  } else if (code === 'CredentialsProviderError' || /Could not load credentials|credentials/i.test(err.name ?? '')) {
    explanation =
      `No AWS credentials were found. Set a profile (the ufoIam.aws.profile setting, --profile, or AWS_PROFILE), log in with ` +
      `aws sso login, or provide AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY in the environment.`;
  } else if (NETWORK.has(code) || NETWORK.has(err.name ?? '')) {
    explanation = context.endpoint
      ? `Could not reach ${redactUrl(context.endpoint)}. Is the endpoint right and running?`
      : `Could not reach AWS. Check the network connection, proxy settings and region.`;
  } else if (err.$fault === 'server' || (details.httpStatus ?? 0) >= 500) {
    explanation = `AWS failed on its side${details.attempts ? ` (${details.attempts} attempts)` : ''}. Run apply again later; what is done stays done.`;
  } else {
    explanation = '';
  }
  return new AwsOperationError(op, code, awsMessage, explanation, { ...details, missingPermission });
}

/** Removes user:password from a URL before it is shown. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/[^/@\s]*@/, '//[redacted]@');
}
