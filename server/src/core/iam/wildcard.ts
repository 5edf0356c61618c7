// The one matcher for IAM wildcards, used by every feature. IAM knows two wildcards: `*` (any run of characters,
// also none) and `?` (exactly one character); every other character is literal. Actions and condition key names
// compare case-insensitively, which is the default here; ARNs compare case-sensitively in IAM, so callers that match
// ARNs pass `caseSensitive: true`.
//
// Matching does not go through a regular expression: a pattern such as `a*a*a*a*a*b` makes a backtracking regex
// engine take exponential time, while the two-pointer glob walk below is O(pattern × text) at worst.

export interface WildcardOptions {
  /** Compare case-sensitively (IAM does so for ARNs). Default: false, as IAM does for actions. */
  readonly caseSensitive?: boolean;
}

/** Whether `s` contains an IAM wildcard character (`*` or `?`). */
export function hasWildcard(s: string): boolean {
  return s.includes('*') || s.includes('?');
}

const REGEX_SPECIAL = /[\\^$.|+()[\]{}]/g;

/**
 * An anchored regular expression for an IAM wildcard pattern, for callers that need a RegExp (to combine it with
 * others, say): `*` becomes `[\s\S]*`, `?` becomes `[\s\S]`, and every other character is escaped, so `.`, `+`, `(`,
 * `$`, `\` and the like match only themselves. To test a text, prefer matchesWildcard, which cannot backtrack.
 */
export function wildcardToRegExp(pattern: string, options: WildcardOptions = {}): RegExp {
  let source = '^';
  let start = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c !== '*' && c !== '?') continue;
    source += pattern.slice(start, i).replace(REGEX_SPECIAL, '\\$&');
    if (c === '*') {
      // Runs of `*` mean the same as one.
      if (!source.endsWith('[\\s\\S]*')) source += '[\\s\\S]*';
    } else {
      source += '[\\s\\S]';
    }
    start = i + 1;
  }
  source += pattern.slice(start).replace(REGEX_SPECIAL, '\\$&') + '$';
  return new RegExp(source, options.caseSensitive ? '' : 'i');
}

/** Whether `text` matches the IAM wildcard `pattern` as a whole (case-insensitive unless asked otherwise). */
export function matchesWildcard(pattern: string, text: string, options: WildcardOptions = {}): boolean {
  return createWildcardMatcher(pattern, options)(text);
}

/**
 * A test for one pattern against many texts (the pattern is prepared once). Common shapes take shortcuts:
 * `*` matches everything, a pattern without wildcards compares whole strings, `Get*` compares a prefix.
 */
export function createWildcardMatcher(pattern: string, options: WildcardOptions = {}): (text: string) => boolean {
  const fold = options.caseSensitive ? (s: string) => s : (s: string) => s.toLowerCase();
  const p = fold(pattern);
  if (p === '*') return () => true;
  if (!hasWildcard(p)) return (text) => fold(text) === p;
  const firstWildcard = p.search(/[*?]/);
  if (firstWildcard === p.length - 1 && p.endsWith('*')) {
    const head = p.slice(0, -1);
    return (text) => fold(text).startsWith(head);
  }
  return (text) => globMatch(p, fold(text));
}

/** Two-pointer glob match of a prepared (already case-folded) pattern; O(p × t) in the worst case. */
export function globMatch(p: string, t: string): boolean {
  const STAR = 42; // '*'
  const QUESTION = 63; // '?'
  let pi = 0;
  let ti = 0;
  let star = -1;
  let mark = 0;
  while (ti < t.length) {
    const pc = pi < p.length ? p.charCodeAt(pi) : -1;
    if (pc === STAR) {
      star = pi++;
      mark = ti;
    } else if (pc === QUESTION || (pc >= 0 && pc === t.charCodeAt(ti))) {
      pi++;
      ti++;
    } else if (star >= 0) {
      // Let the last `*` swallow one more character and retry from there.
      pi = star + 1;
      ti = ++mark;
    } else {
      return false;
    }
  }
  while (pi < p.length && p.charCodeAt(pi) === STAR) pi++;
  return pi === p.length;
}
