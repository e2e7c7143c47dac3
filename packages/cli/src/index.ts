/** @cordon/cli public API: the command runner, for tests and embedding. */
export { runCli } from './run-cli.ts';
export type { Command, CommandIo } from './command.ts';
export { UsageError } from './command.ts';
