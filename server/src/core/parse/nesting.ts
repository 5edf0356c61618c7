// Prism's WebAssembly build hangs or corrupts its memory on brackets nested more than about 128 levels
// deep (found by the fuzz test: `"[" * 129` never returns). No real role file comes near that, so texts
// nested deeper than MAX_NESTING are not handed to the parser at all.

export const MAX_NESTING = 96;

/**
 * The deepest nesting of `(`, `[` and `{` outside comments and quoted strings (a lexical estimate:
 * heredocs and percent literals count as code, which can only over-estimate).
 */
export function maxNesting(text: string): number {
  let depth = 0;
  let max = 0;
  let quote = 0; // the open quote's char code, or 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (quote !== 0) {
      if (c === 92 /* \ */) i++;
      else if (c === quote) quote = 0;
      continue;
    }
    switch (c) {
      case 34: // "
      case 39: // '
      case 96: // `
        quote = c;
        break;
      case 35: // # comment to the end of the line
        while (i < text.length && text.charCodeAt(i) !== 10) i++;
        break;
      case 40: // (
      case 91: // [
      case 123: // {
        if (++depth > max) max = depth;
        break;
      case 41: // )
      case 93: // ]
      case 125: // }
        if (depth > 0) depth--;
        break;
    }
  }
  return max;
}

export class NestingTooDeepError extends Error {
  constructor(readonly depth: number) {
    super(`brackets nested ${depth} levels deep; the parser accepts at most ${MAX_NESTING}`);
  }
}
