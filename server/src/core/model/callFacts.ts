// What is known of a call whatever its position in the file: computed once, and kept with the call when an edit
// elsewhere moves it (core/model/shift.ts gives the moved call the same facts). The checks keep here what they would
// otherwise compute again for every call of a large file on every keystroke.
import type { DslCall } from './roleFile';

export interface CallFacts {
  /** The call's cache key for its checks' findings (core/checks/index.ts callKey). */
  textKey?: string;
  /** UFO's identity of the call's statements (`eql?`), for its de-duplication of calls (core/checks/ufo.ts). */
  statementsKey?: string;
  /** The characters the call's policy adds to the role's inline policies, per UFO version; undefined when unknown. */
  inlineSize?: Map<number, number | undefined>;
}

const facts = new WeakMap<DslCall, CallFacts>();

export function callFacts(call: DslCall): CallFacts {
  let f = facts.get(call);
  if (!f) facts.set(call, (f = {}));
  return f;
}

/** `to` is `from` moved: it has the same facts. */
export function shareCallFacts(from: DslCall, to: DslCall): void {
  const f = facts.get(from);
  if (f) facts.set(to, f);
}
