// Renders JSON values as Ruby literals, so AWS's own policy documents can be fed through the parser and the
// checks as `iam_policy` calls. Keys that are plain identifiers use the label form (`Effect:`), others the
// quoted label form (`"aws:SourceArn":`); both give the keys UFO writes (docs/ufo-semantics.md §3).

/** A Ruby double-quoted string literal with the same value (JSON escapes are Ruby escapes; `#` must not start interpolation). */
export function rubyString(s: string): string {
  return JSON.stringify(s).replace(/#/g, '\\#');
}

export function rubyLiteral(v: unknown, indent = ''): string {
  if (v === null) return 'nil';
  if (typeof v === 'string') return rubyString(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  const inner = indent + '  ';
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[\n${v.map((x) => inner + rubyLiteral(x, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(v as Record<string, unknown>);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, x]) => `${inner}${rubyKey(k)} ${rubyLiteral(x, inner)}`).join(',\n')}\n${indent}}`;
}

function rubyKey(k: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(k) ? `${k}:` : `${rubyString(k)}:`;
}

/** `iam_policy("Name", [statements])` for a policy document. */
export function iamPolicyCall(name: string, document: unknown): string {
  const doc = document as { Statement?: unknown };
  const statements = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  return `iam_policy(${rubyString(name)}, ${rubyLiteral(statements)})\n`;
}
