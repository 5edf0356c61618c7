// DSL-level checks that need the layout: files UFO does not read, and Symbol values that UFO writes
// into the template as ":name" (docs/ufo-semantics.md §3: values pass through unchanged, then YAML.dump).
import type { Finding } from '../findings';
import { walkValue } from '../model/values';
import type { CallRef, CheckContext, CheckFamily } from './index';

export const dslChecks: CheckFamily = { call: symbolValues, file: unusedFile };

function unusedFile(ctx: CheckContext): Finding[] {
  if (ctx.fileRole.kind !== 'ignored') return [];
  // The first line, not the whole file: the message is about the file, the range stays small.
  const firstLineEnd = ctx.analysis.lineIndex.byteOfPosition({ line: 0, character: Number.MAX_SAFE_INTEGER });
  return [{ code: 'UNUSED_ROLE_FILE', span: { start: 0, end: firstLineEnd }, message: ctx.fileRole.reason }];
}

/** Even in a call with a syntax error: a Symbol value is a Symbol however the rest is typed. */
function symbolValues({ call }: CallRef): Finding[] {
  const out: Finding[] = [];
  if (call.method !== 'iam_policy') return out;
  const values = [...(call.policyName ? [call.policyName] : []), ...call.statements];
  for (const v of values) {
    walkValue(v, (x, parent) => {
      if (x.kind === 'dynamic') return false;
      if (x.kind === 'symbol') {
        // A symbol is fine as a hash key (stringified); only values are written as ":name".
        const isKey = parent?.kind === 'hash' && parent.entries.some((e) => e.key === x);
        if (!isKey)
          out.push({
            code: 'SYMBOL_VALUE',
            span: x.span,
            message: `UFO writes the Symbol :${x.value} into the template as the string ":${x.value}". Write "${x.value}" instead.`,
            data: { replacement: JSON.stringify(x.value) },
          });
      }
      return true;
    });
  }
  return out;
}
