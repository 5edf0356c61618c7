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

/**
 * Kept on the call itself, under a key that is neither enumerable nor a string: no code that reads a call's data
 * sees it. (A WeakMap of every call would add an entry per call per keystroke for the garbage collector to trace.)
 */
const FACTS = Symbol('callFacts');
type WithFacts = { [FACTS]?: CallFacts };

export function callFacts(call: DslCall): CallFacts {
  const c = call as WithFacts;
  let f = c[FACTS];
  if (!f) Object.defineProperty(c, FACTS, { value: (f = {}), enumerable: false, writable: false });
  return f;
}

/** `to` is `from` moved: it has the same facts. */
export function shareCallFacts(from: DslCall, to: DslCall): void {
  const f = (from as WithFacts)[FACTS];
  if (f) Object.defineProperty(to, FACTS, { value: f, enumerable: false, writable: false });
}
