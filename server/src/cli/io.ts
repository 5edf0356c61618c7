/** What a CLI subcommand may touch: its arguments come separately, everything else through here. */
export interface CliIo {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  stdout(text: string): void;
  stderr(text: string): void;
}

/** A subcommand: returns the process exit code. */
export type Subcommand = (args: string[], io: CliIo) => Promise<number>;

/** Exit codes shared by every subcommand. */
export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

export class UsageError extends Error {}
