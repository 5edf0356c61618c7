// AccessDenied messages → who was denied what, and which kind of policy said no (docs/access-denied.md). Reads the
// shapes IAM documents in "Troubleshoot access denied error messages"
// (https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html): `User: <arn> is not authorized to
// perform: <action> [on resource: <arn>] [because no <type> policy allows the <action> action | with an explicit deny in
// a <type> policy[: <policy arn>]]`, also inside an SDK's or the AWS CLI's wrapping, a JSON `"Message"` payload, or a
// paste broken over several lines. Pure: text in, a result out; never throws on user text.

export type PrincipalKind = 'assumed-role' | 'role' | 'user' | 'federated-user' | 'root' | 'anonymous' | 'unknown';

/**
 * Which policy denied: the implicit deny of the identity's own policies (`noIdentityPolicy`), an explicit Deny in them
 * (`explicitDenyIdentity`), or a policy outside the identity's: an SCP, an RCP, a permissions boundary, a session
 * policy, a resource-based policy, a VPC endpoint policy; `unknown` when the message does not say (the older form).
 */
export type DenyReason =
  | 'noIdentityPolicy'
  | 'explicitDenyIdentity'
  | 'scp'
  | 'resourceControlPolicy'
  | 'permissionsBoundary'
  | 'sessionPolicy'
  | 'resourcePolicy'
  | 'vpcEndpointPolicy'
  | 'unknown';

export interface AccessDenied {
  /** The principal as the message names it (an ARN, or `anonymous`). */
  readonly principalArn: string;
  readonly principalKind: PrincipalKind;
  /** The role's name for an assumed-role or role ARN (the last path segment of a role ARN). */
  readonly roleName?: string;
  /** The session name of an assumed-role ARN (for ECS tasks, the task id). */
  readonly sessionName?: string;
  readonly account?: string;
  readonly partition?: string;
  readonly action: string;
  /** The resource the message names; absent in messages that name none. */
  readonly resource?: string;
  readonly reason: DenyReason;
  /** True for an explicit Deny, false for "no … policy allows", undefined when the message does not say. */
  readonly explicit?: boolean;
  /** The ARN of the denying policy, when the message names it. */
  readonly denyingPolicyArn?: string;
  /** The error code of the SDK's or the CLI's wrapping (`AccessDenied`, `AccessDeniedException`), when present. */
  readonly errorCode?: string;
  /** The API operation of the AWS CLI's wrapping (`when calling the PutObject operation`). */
  readonly operation?: string;
}

export type ParseDeniedResult =
  | { readonly ok: true; readonly denied: AccessDenied }
  /**
   * NOT_ACCESS_DENIED: the text is no access-denied message; NO_DETAILS: it is one (`Access Denied`, an encoded
   * authorization message) but it names no principal and action, so nothing can be placed in a role file.
   */
  | { readonly ok: false; readonly code: 'NOT_ACCESS_DENIED' | 'NO_DETAILS'; readonly message: string };

/** Policy-type phrases of the messages, as IAM writes them (case differs between services and eras). */
const POLICY_TYPES: ReadonlyArray<{ readonly pattern: RegExp; readonly reason: Exclude<DenyReason, 'noIdentityPolicy' | 'explicitDenyIdentity' | 'unknown'> | 'identity' }> = [
  { pattern: /^identity[- ]based(?: policy| policies)?/i, reason: 'identity' },
  { pattern: /^service control polic(?:y|ies)/i, reason: 'scp' },
  { pattern: /^resource control polic(?:y|ies)/i, reason: 'resourceControlPolicy' },
  { pattern: /^permissions? boundar(?:y|ies)(?: polic(?:y|ies))?/i, reason: 'permissionsBoundary' },
  { pattern: /^session polic(?:y|ies)/i, reason: 'sessionPolicy' },
  { pattern: /^resource[- ]based polic(?:y|ies)/i, reason: 'resourcePolicy' },
  { pattern: /^VPC endpoint polic(?:y|ies)/i, reason: 'vpcEndpointPolicy' },
];

function policyType(text: string): (typeof POLICY_TYPES)[number]['reason'] | undefined {
  return POLICY_TYPES.find((t) => t.pattern.test(text))?.reason;
}

/**
 * One line of text: JSON payloads unwrapped, line breaks and runs of blanks (no-break spaces of web pages included)
 * made one space, so a message wrapped by a terminal or a log reads as one.
 */
function normalize(input: string): string {
  let text = input.replace(/^\uFEFF/, '');
  // `"Message":"…"` / `"message": "…"` (JSON error bodies, CloudTrail's errorMessage): the string's value, unescaped.
  const json = /"(?:Message|message|errorMessage)"\s*:\s*("(?:[^"\\]|\\.)*")/.exec(text);
  if (json && /not authorized to perform/i.test(json[1])) {
    try {
      text = JSON.parse(json[1]) as string;
    } catch {
      text = json[1].slice(1, -1);
    }
  }
  return text.replace(/[\s\u00a0\u2000-\u200b\u202f\u3000]+/g, ' ').trim();
}

/** An ARN's kind, account and role name. */
function principalOf(arn: string): Pick<AccessDenied, 'principalKind' | 'roleName' | 'sessionName' | 'account' | 'partition'> {
  if (arn === 'anonymous') return { principalKind: 'anonymous' };
  const m = /^arn:([a-z0-9-]+):(iam|sts)::(\d{12}|aws):(.*)$/.exec(arn);
  if (!m) return { principalKind: 'unknown' };
  const [, partition, service, account, rest] = m;
  const base = { partition, account };
  if (service === 'sts') {
    const ar = /^assumed-role\/([^/]+)\/(.+)$/.exec(rest);
    if (ar) return { ...base, principalKind: 'assumed-role', roleName: ar[1], sessionName: ar[2] };
    if (rest.startsWith('federated-user/')) return { ...base, principalKind: 'federated-user' };
    return { ...base, principalKind: 'unknown' };
  }
  if (rest === 'root') return { ...base, principalKind: 'root' };
  const role = /^role\/(?:.*\/)?([^/]+)$/.exec(rest);
  if (role) return { ...base, principalKind: 'role', roleName: role[1] };
  if (/^user\//.test(rest)) return { ...base, principalKind: 'user' };
  return { ...base, principalKind: 'unknown' };
}

/**
 * `.` ends a sentence, not an ARN: drop it when the token ends the message or a sentence follows; so do the quotes and
 * brackets of a printed Python dict or JSON text the token ends (`…a.txt'}}`).
 */
const stripPeriod = (s: string): string => s.replace(/[.,;'"}\])]+$/, '');

const CORE = /\b(?:User|Principal): (\S+) is not authorized to perform: (\S+?)(?:\.|,)?(?= |$)(?: on resource: (\S+))?(.*)$/i;

export function parseAccessDenied(input: string): ParseDeniedResult {
  const text = normalize(input);
  // The wrapping may sit outside a JSON payload: look for it in the whole input.
  const whole = input.replace(/\s+/g, ' ');
  const wrap = /An error occurred \(([A-Za-z.]+)\) when calling the ([A-Za-z0-9]+) operation/.exec(whole);
  const bareCode = /\b((?:[A-Za-z]+\.)?(?:AccessDenied(?:Exception)?|UnauthorizedOperation|AuthorizationError|UnauthorizedAccess))\b/.exec(whole);
  const errorCode = wrap?.[1] ?? bareCode?.[1];
  const m = CORE.exec(text);
  if (!m) {
    if (errorCode || /\baccess denied\b|not authorized/i.test(text)) {
      const encoded = /Encoded authorization failure message/i.test(text);
      return {
        ok: false,
        code: 'NO_DETAILS',
        message:
          'This is an access-denied error, but it names no principal and action' +
          (encoded
            ? ': decode its authorization message (aws sts decode-authorization-message --encoded-message …) and paste the decoded text.'
            : ' (some services, S3 among them, only say "Access Denied"): find the denied call in CloudTrail, whose errorMessage names them.'),
      };
    }
    return { ok: false, code: 'NOT_ACCESS_DENIED', message: 'This is not an AccessDenied message: it has no "… is not authorized to perform: <action>" part.' };
  }
  const principalArn = stripPeriod(m[1]);
  const action = stripPeriod(m[2]);
  const resource = m[3] === undefined ? undefined : stripPeriod(m[3]);
  const tail = m[4].trim();
  let reason: DenyReason = 'unknown';
  let explicit: boolean | undefined;
  let denyingPolicyArn: string | undefined;
  const implicit = /^because no (.+?) allows? the /i.exec(tail) ?? /^because no (.+)$/i.exec(tail);
  const explicitDeny = /^(?:with|due to) an explicit deny in (?:an? |the )?(.+)$/i.exec(tail);
  if (implicit) {
    const t = policyType(implicit[1]);
    if (t) {
      reason = t === 'identity' ? 'noIdentityPolicy' : t;
      explicit = false;
    }
  } else if (explicitDeny) {
    const t = policyType(explicitDeny[1]);
    if (t) {
      reason = t === 'identity' ? 'explicitDenyIdentity' : t;
      explicit = true;
      const arn = /^[^:]*?: (arn:\S+)/.exec(explicitDeny[1]);
      if (arn) denyingPolicyArn = stripPeriod(arn[1]);
    }
  }
  return {
    ok: true,
    denied: {
      principalArn,
      ...principalOf(principalArn),
      action,
      ...(resource !== undefined ? { resource } : {}),
      reason,
      ...(explicit !== undefined ? { explicit } : {}),
      ...(denyingPolicyArn ? { denyingPolicyArn } : {}),
      ...(errorCode ? { errorCode } : {}),
      ...(wrap ? { operation: wrap[2] } : {}),
    },
  };
}

/** The reason in words, and whether an Allow added to the role's own policies can fix it. */
export function describeDenyReason(d: AccessDenied): { readonly text: string; readonly allowHelps: boolean } {
  const policy = d.denyingPolicyArn ? ` (${d.denyingPolicyArn})` : '';
  switch (d.reason) {
    case 'noIdentityPolicy':
      return { text: `No identity-based policy of the role allows ${d.action}${d.resource ? ` on ${d.resource}` : ''}: an implicit deny. An Allow in the role file fixes it.`, allowHelps: true };
    case 'explicitDenyIdentity':
      return { text: `A Deny statement in an identity-based policy of the principal${policy} denies ${d.action}. An explicit Deny beats every Allow, so adding one changes nothing: remove or narrow the Deny.`, allowHelps: false };
    case 'scp':
      return { text: `A service control policy of AWS Organizations${policy} ${d.explicit === false ? 'does not allow' : 'denies'} ${d.action}. SCPs are set for the account or its organizational unit, outside the role file; an Allow in the role cannot lift them.`, allowHelps: false };
    case 'resourceControlPolicy':
      return { text: `A resource control policy of AWS Organizations${policy} ${d.explicit === false ? 'does not allow' : 'denies'} ${d.action}. RCPs are set outside the role file; an Allow in the role cannot lift them.`, allowHelps: false };
    case 'permissionsBoundary':
      return { text: `The role's permissions boundary${policy} ${d.explicit === false ? 'does not allow' : 'denies'} ${d.action}. The boundary caps what the role's policies can grant and is not part of the role file: change the boundary.`, allowHelps: false };
    case 'sessionPolicy':
      return { text: `A session policy${policy} passed when the role was assumed ${d.explicit === false ? 'does not allow' : 'denies'} ${d.action}. It is set by whoever assumes the role, not in the role file.`, allowHelps: false };
    case 'resourcePolicy':
      return {
        text: `The resource's own policy${policy} (a bucket, key or queue policy) ${d.explicit === false ? 'does not allow' : 'denies'} ${d.action}${d.explicit === false ? ', and this request needs it to (a cross-account request, or a service such as KMS whose key policy must allow)' : ''}. Change the resource's policy; the role file cannot.`,
        allowHelps: false,
      };
    case 'vpcEndpointPolicy':
      return { text: `The policy of the VPC endpoint the request went through${policy} ${d.explicit === false ? 'does not allow' : 'denies'} ${d.action}. Change the endpoint's policy; the role file cannot.`, allowHelps: false };
    case 'unknown':
      return {
        text: `The message does not say which policy denied ${d.action} (the older message form). Most often no identity-based policy allows it, which an Allow in the role file fixes; if the error stays after applying it, look for a Deny, an SCP or a permissions boundary.`,
        allowHelps: true,
      };
  }
}
