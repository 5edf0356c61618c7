// What the core reports: a code from the rule table, a byte span, and a message. Never an LSP type.
import type { Span } from './text/span';
import type { Code } from './checks/rules';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface Finding {
  readonly code: Code;
  readonly span: Span;
  readonly message: string;
  /** Overrides the rule's default severity when the same code has degrees (rare). */
  readonly severity?: Severity;
  /** Machine-readable details for quick fixes (e.g. replacement suggestions). */
  readonly data?: Record<string, unknown>;
}
