// The one matcher for IAM wildcards. IAM policies know two: `*` (any run of characters, also none) and `?` (exactly
// one character); everything else is literal. Actions and condition key names compare case-insensitively, which is
// the default here; ARNs compare case-sensitively in IAM, so callers that match ARNs pass `caseSensitive: true`.

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
 * An anchored regular expression for an IAM wildcard pattern: `*` becomes `[\s\S]*`, `?` becomes `[\s\S]`, and every
 * other character is escaped, so `.`, `+`, `(`, `$`, `\` and the like in user text match only themselves.
 */
export function wildcardToRegExp(pattern: string, options: WildcardOptions = {}): RegExp {
  let source = '^';
  let start = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c !== '*' && c !== '?') continue;
    source += pattern.slice(start, i).replace(REGEX_SPECIAL, '\\$&');
    if (c === '*') {
      // Runs of `*` mean the same as one; collapsing them keeps the regex linear.
      if (!source.endsWith('[\\s\\S]*')) source += '[\\s\\S]*';
    } else {
      source += '[\\s\\S]';
    }
    start = i + 1;
  }
  source += pattern.slice(start).replace(REGEX_SPECIAL, '\\$&') + '$';
  return new RegExp(source, options.caseSensitive ? '' : 'i');
}

// Checks and hovers match the same few patterns against many texts: keep their compiled forms. The cache is
// bounded so that a long editing session cannot grow it without limit.
const CACHE_LIMIT = 1000;
const cacheInsensitive = new Map<string, RegExp>();
const cacheSensitive = new Map<string, RegExp>();

/** The cached compiled form of `pattern` (see wildcardToRegExp). */
export function compiledWildcard(pattern: string, options: WildcardOptions = {}): RegExp {
  const cache = options.caseSensitive ? cacheSensitive : cacheInsensitive;
  let re = cache.get(pattern);
  if (!re) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    re = wildcardToRegExp(pattern, options);
    cache.set(pattern, re);
  }
  return re;
}

/** Whether `text` matches the IAM wildcard `pattern` as a whole (case-insensitive unless asked otherwise). */
export function matchesWildcard(pattern: string, text: string, options: WildcardOptions = {}): boolean {
  if (!hasWildcard(pattern)) {
    return options.caseSensitive ? pattern === text : pattern.toLowerCase() === text.toLowerCase();
  }
  if (pattern === '*') return true;
  return compiledWildcard(pattern, options).test(text);
}
