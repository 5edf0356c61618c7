// Whether a Resource written in a policy can name a resource of a given type. The Service Authorization Reference
// gives each resource type an ARN template (`arn:${Partition}:s3:::${BucketName}/${ObjectName}`); the policy gives a
// pattern with IAM wildcards (`arn:aws:s3:::my-bucket/*`). They fit when some ARN matches both, which is a question
// of intersecting two patterns, answered here without enumerating anything.
//
// Variables of a template stand for one or more characters other than `:` (no variable of the reference spans an
// ARN field). `${BucketName}` also excludes `/`, because S3 bucket names cannot contain one; that is what tells
// `arn:aws:s3:::my-bucket/*` (objects) from the bucket itself, the most common resource mistake with S3. Policy
// variables in the written resource (`${aws:username}`) are unknown values and match like `*`. Comparison is
// case-sensitive, as IAM compares ARNs.

/** One position of a pattern: a literal character, any one character, any run, or a template variable's class. */
type Token =
  | { readonly kind: 'char'; readonly c: string }
  | { readonly kind: 'any' } // `?`
  | { readonly kind: 'star' } // `*`: zero or more of anything
  | { readonly kind: 'class'; readonly exclude: string; readonly repeat: boolean }; // one (or, repeat, zero or more) chars not in exclude

const VARIABLE = /\$\{([^}]*)\}/g;

/** Tokens of a resource as written in a policy: `*` and `?` are wildcards, `${...}` policy variables match like `*`. */
function resourceTokens(resource: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < resource.length) {
    const c = resource[i];
    if (c === '$' && resource[i + 1] === '{') {
      const end = resource.indexOf('}', i + 2);
      if (end > 0) {
        tokens.push({ kind: 'star' });
        i = end + 1;
        continue;
      }
    }
    tokens.push(c === '*' ? { kind: 'star' } : c === '?' ? { kind: 'any' } : { kind: 'char', c });
    i++;
  }
  return tokens;
}

/** Tokens of an ARN template: each `${Name}` is one or more characters of its class; the rest is literal. */
function templateTokens(template: string): Token[] {
  const tokens: Token[] = [];
  let last = 0;
  for (const m of template.matchAll(VARIABLE)) {
    for (const c of template.slice(last, m.index)) tokens.push({ kind: 'char', c });
    const exclude = m[1] === 'BucketName' ? ':/' : ':';
    tokens.push({ kind: 'class', exclude, repeat: false }, { kind: 'class', exclude, repeat: true });
    last = (m.index ?? 0) + m[0].length;
  }
  for (const c of template.slice(last)) tokens.push({ kind: 'char', c });
  return tokens;
}

const repeats = (t: Token) => t.kind === 'star' || (t.kind === 'class' && t.repeat);

/** Whether some single character is accepted by both tokens (neither of which is consumed as "zero times"). */
function shareCharacter(a: Token, b: Token): boolean {
  if (a.kind === 'char' && b.kind === 'char') return a.c === b.c;
  if (a.kind === 'char') return acceptsChar(b, a.c);
  if (b.kind === 'char') return acceptsChar(a, b.c);
  // Wildcards and classes: a class excludes only a couple of characters, so two of them always share one.
  return true;
}

function acceptsChar(t: Token, c: string): boolean {
  if (t.kind === 'char') return t.c === c;
  if (t.kind === 'class') return !t.exclude.includes(c);
  return true;
}

/**
 * Whether some string matches both token lists: a search over pairs of positions, O(a × b) states, where repeating
 * tokens may be skipped or stay in place while the other side advances.
 */
function intersects(a: readonly Token[], b: readonly Token[]): boolean {
  const width = b.length + 1;
  const seen = new Uint8Array((a.length + 1) * width);
  const stack: number[] = [0];
  seen[0] = 1;
  const push = (i: number, j: number) => {
    const id = i * width + j;
    if (!seen[id]) {
      seen[id] = 1;
      stack.push(id);
    }
  };
  while (stack.length > 0) {
    const id = stack.pop()!;
    const i = Math.floor(id / width);
    const j = id % width;
    if (i === a.length && j === b.length) return true;
    if (i < a.length && repeats(a[i])) push(i + 1, j);
    if (j < b.length && repeats(b[j])) push(i, j + 1);
    if (i < a.length && j < b.length && shareCharacter(a[i], b[j])) {
      const ni = repeats(a[i]) ? i : i + 1;
      const nj = repeats(b[j]) ? j : j + 1;
      if (ni !== i || nj !== j) push(ni, nj);
    }
  }
  return false;
}

/**
 * Whether the resource pattern of a policy (`arn:aws:s3:::my-bucket/*`, `*`) can name a resource whose ARN follows
 * `template` (`arn:${Partition}:s3:::${BucketName}/${ObjectName}`).
 */
export function resourceMatchesArnTemplate(resource: string, template: string): boolean {
  if (resource === '*' || template === '*') return true;
  return intersects(resourceTokens(resource), templateTokens(template));
}

/** Whether two IAM wildcard patterns (`*`, `?`) can match a common string (case-sensitive). */
export function wildcardsIntersect(a: string, b: string): boolean {
  const plain = (s: string): Token[] =>
    [...s].map((c) => (c === '*' ? { kind: 'star' } : c === '?' ? { kind: 'any' } : { kind: 'char', c }));
  return intersects(plain(a), plain(b));
}
