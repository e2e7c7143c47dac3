/**
 * One subcommand of `cordon`. Each lives in `commands/<name>.command.ts` and is listed in
 * `commands/index.ts`; `main.ts` dispatches on the longest matching name, so `verify journal`
 * and `verify` can both exist.
 */
export interface Command {
  /** Words that select the command, e.g. `tenant create`. */
  readonly name: string;
  readonly summary: string;
  /** Full help text printed by `--help`: usage line, then options. */
  readonly help: string;
  /** Runs with the arguments after the command's name; resolves to the process exit code. */
  run(args: readonly string[], io: CommandIo): Promise<number>;
}

/** Streams a command writes to; tests pass their own to capture output. */
export interface CommandIo {
  readonly stdout: NodeJS.WritableStream;
  readonly stderr: NodeJS.WritableStream;
  readonly stdin: NodeJS.ReadableStream;
  readonly env: NodeJS.ProcessEnv;
}

/** A user error in the command line: printed as `cordon: <message>` with exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
