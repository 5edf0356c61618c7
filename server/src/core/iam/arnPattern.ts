// The one ARN pattern engine, used by the checks (RESOURCE_MISMATCH), hover and completion alike, so they can never
// disagree about an ARN: splitting ARNs into fields (policy variables such as `${aws:username}` may hold colons),
// and whether a Resource written in a policy can name a resource whose ARN follows a template of the Service
// Authorization Reference (`arn:aws:s3:::my-bucket/*` names s3:GetObject's objects, not s3:ListBucket's bucket).
// Both sides are globs: a resource has `*`, `?` and policy variables (unknown values, matched like `*`); a template
// has `${Variable}` parts, which match any run within their field, except the few variables known never to hold a
// `/` (a bucket, table, function, queue or topic name; the partition, region and account). Comparison is
// case-sensitive, as IAM compares ARNs. Two globs match a common ARN when a small dynamic program over their tokens
// says so (no backtracking, O(n × m)).

export interface ArnFields {
  readonly partition: string;
  readonly service: string;
  readonly region: string;
  readonly account: string;
  readonly resource: string;
}

/** The fields of `arn:partition:service:region:account:resource`, or the count found when there are fewer than six. */
export function splitArn(arn: string): ArnFields | { readonly fieldCount: number } {
  const fields: string[] = [];
  let start = 0;
  let depth = 0;
  for (let i = 0; i < arn.length && fields.length < 5; i++) {
    const c = arn[i];
    if (c === '$' && arn[i + 1] === '{') depth++;
    else if (c === '}' && depth > 0) depth--;
    else if (c === ':' && depth === 0) {
      fields.push(arn.slice(start, i));
      start = i + 1;
    }
  }
  if (fields.length < 5) return { fieldCount: fields.length + 1 };
  fields.push(arn.slice(start));
  return { partition: fields[1], service: fields[2], region: fields[3], account: fields[4], resource: fields[5] };
}

export const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov', 'aws-iso', 'aws-iso-b', 'aws-iso-e', 'aws-iso-f', 'aws-eusc'];

/** A field that is a wildcard or holds a policy variable: not judged. */
export function isVariable(field: string): boolean {
  return field.includes('*') || field.includes('?') || field.includes('${');
}

const STAR = -1;
const ANY = -2;
/** A template variable that cannot hold a slash. */
const SEGMENT = -3;
const SLASH = 0x2f;

/**
 * Template variables known never to hold a `/`. Most others can (role paths, log groups, secret and parameter
 * names, object keys), so they match anything; these few make the classic mistakes visible, such as
 * `s3:ListBucket` on `arn:aws:s3:::bucket/*`.
 */
const NO_SLASH_VARIABLES = new Set(['Partition', 'Region', 'Account', 'BucketName', 'TableName', 'FunctionName', 'QueueName', 'TopicName']);

/** Glob tokens: character codes, STAR for `*` (and `${...}`), ANY for `?`, SEGMENT for a slash-free template variable. */
function tokens(s: string, template: boolean): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x24 /* $ */ && s[i + 1] === '{') {
      const end = s.indexOf('}', i + 2);
      if (end > 0) {
        const token = template && NO_SLASH_VARIABLES.has(s.slice(i + 2, end)) ? SEGMENT : STAR;
        if (out[out.length - 1] !== token) out.push(token);
        i = end;
        continue;
      }
    }
    if (c === 0x2a /* * */) {
      if (out[out.length - 1] !== STAR) out.push(STAR);
    } else if (c === 0x3f /* ? */ && !template) out.push(ANY);
    else out.push(c);
  }
  return Int32Array.from(out);
}

/** Whether some string matches both globs (`a` a policy resource, `b` an ARN template). */
export function globsIntersect(a: string, b: string): boolean {
  // Fast paths for the common fields: equal texts, a lone wildcard, a lone template variable, two literals.
  if (a === b || a === '*') return true;
  const aLiteral = !a.includes('*') && !a.includes('?') && !a.includes('${');
  if (b.startsWith('${') && b.indexOf('}') === b.length - 1) {
    const name = b.slice(2, -1);
    return !NO_SLASH_VARIABLES.has(name) || !a.includes('/');
  }
  if (aLiteral && !b.includes('${')) return false;
  const A = tokens(a, false);
  const B = tokens(b, true);
  const n = A.length;
  const m = B.length;
  // M[i][j]: A[i:] and B[j:] can produce a common string. Rows are kept two at a time, filled from the end.
  let below = new Uint8Array(m + 1);
  let row = new Uint8Array(m + 1);
  for (let i = n; i >= 0; i--) {
    for (let j = m; j >= 0; j--) {
      let v = false;
      if (i === n && j === m) v = true;
      else if (i < n && A[i] === STAR) v = (i + 1 <= n && below[j] === 1) || (j < m && row[j + 1] === 1);
      else if (j < m && B[j] === STAR) v = row[j + 1] === 1 || (i < n && below[j] === 1);
      else if (j < m && B[j] === SEGMENT) v = row[j + 1] === 1 || (i < n && A[i] !== SLASH && below[j] === 1);
      else if (i < n && j < m) v = (A[i] === ANY || B[j] === ANY || A[i] === B[j]) && below[j + 1] === 1;
      row[j] = v ? 1 : 0;
    }
    const t = below;
    below = row;
    row = t;
  }
  return below[0] === 1;
}

const templateFields = new Map<string, ArnFields | null>();

/**
 * Whether a policy resource can name a resource of an ARN template, field by field (a resource's wildcards stay
 * within their field, which keeps the glob comparisons short). Undefined when the template is not an ARN.
 */
export function arnMatchesTemplate(resource: ArnFields, template: string): boolean | undefined {
  let t = templateFields.get(template);
  if (t === undefined) {
    const f = splitArn(template);
    t = 'partition' in f ? f : null;
    if (templateFields.size > 5000) templateFields.clear();
    templateFields.set(template, t);
  }
  if (!t) return undefined;
  return (
    globsIntersect(resource.service, t.service) &&
    globsIntersect(resource.region, t.region) &&
    globsIntersect(resource.account, t.account) &&
    globsIntersect(resource.resource, t.resource) &&
    globsIntersect(resource.partition, t.partition)
  );
}

/**
 * Whether the resource pattern of a policy (`arn:aws:s3:::my-bucket/*`, `*`) can name a resource whose ARN follows
 * `template` (`arn:${Partition}:s3:::${BucketName}/${ObjectName}`): field by field when both are ARNs, else as
 * two globs over the whole text.
 */
export function resourceMatchesArnTemplate(resource: string, template: string): boolean {
  if (resource === '*' || template === '*') return true;
  const fields = splitArn(resource);
  if ('partition' in fields) {
    const byField = arnMatchesTemplate(fields, template);
    if (byField !== undefined) return byField;
  }
  return globsIntersect(resource, template);
}
