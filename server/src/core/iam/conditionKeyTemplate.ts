// Condition keys with a variable part. The Service Authorization Reference writes the variable as `${TagKey}`
// (`aws:ResourceTag/${TagKey}`), `<key>` (`s3:ExistingObjectTag/<key>`) or, in the global key list, as the literal
// `tag-key` after a slash (`aws:PrincipalTag/tag-key`). A policy names a concrete key (`aws:PrincipalTag/team`).
// Condition key names compare case-insensitively in IAM.

const VARIABLE = /\$\{[^}]*\}|<[^>]*>/g;

/** Whether `key` has a `${...}` or `<...>` variable part. */
export function isTemplatedKey(key: string): boolean {
  return /\$\{[^}]*\}|<[^>]*>/.test(key);
}

/**
 * An anchored, case-insensitive regular expression that matches the concrete keys of a templated key: each
 * variable stands for one or more characters, everything else is literal.
 */
export function templateToRegExp(template: string): RegExp {
  let source = '^';
  let last = 0;
  for (const m of template.matchAll(VARIABLE)) {
    source += escapeRegExp(template.slice(last, m.index)) + '.+';
    last = (m.index ?? 0) + m[0].length;
  }
  source += escapeRegExp(template.slice(last)) + '$';
  return new RegExp(source, 'is');
}

/** The part before the first colon (`s3` of `s3:prefix`), or undefined when there is no colon. */
export function conditionKeyPrefix(key: string): string | undefined {
  const colon = key.indexOf(':');
  return colon > 0 ? key.slice(0, colon) : undefined;
}

function escapeRegExp(s: string): string {
  return s.replace(/[\\^$.*+?|()[\]{}]/g, '\\$&');
}
