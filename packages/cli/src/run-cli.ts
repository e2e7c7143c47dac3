/**
 * Dispatches `cordon …` to a subcommand and turns errors into exit codes: usage errors print
 * the message and exit 2, anything else prints the message (never a stack unless
 * CORDON_DEBUG is set) and exits 1.
 */
import type { Command, CommandIo } from './command.ts';
import { UsageError } from './command.ts';
import { commands } from './commands/index.ts';

function overview(): string {
  const width = Math.max(...commands.map((c) => c.name.length), 8);
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'Usage: cordon <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Run `cordon <command> --help` for the options of a command.',
  ].join('\n');
}

function findCommand(args: readonly string[]): { command: Command; rest: string[] } | undefined {
  let best: { command: Command; rest: string[] } | undefined;
  for (const command of commands) {
    const words = command.name.split(' ');
    if (words.every((w, i) => args[i] === w)) {
      if (!best || words.length > best.command.name.split(' ').length) {
        best = { command, rest: args.slice(words.length) };
      }
    }
  }
  return best;
}

export async function runCli(args: readonly string[], io: CommandIo): Promise<number> {
  if (args.length === 0 || args[0] === '--help' || args[0] === '-h' || args[0] === 'help') {
    io.stdout.write(overview() + '\n');
    return args.length === 0 ? 2 : 0;
  }
  const found = findCommand(args);
  if (!found) {
    const prefix = commands.filter((c) => c.name.startsWith(args[0] + ' '));
    if (prefix.length > 0) {
      io.stderr.write(
        `cordon: '${args.join(' ')}' is not a command. Did you mean one of:\n` +
          prefix.map((c) => `  cordon ${c.name}  ${c.summary}`).join('\n') +
          '\n',
      );
    } else {
      io.stderr.write(`cordon: unknown command '${args[0]}'. Run 'cordon --help'.\n`);
    }
    return 2;
  }
  if (found.rest.includes('--help') || found.rest.includes('-h')) {
    io.stdout.write(found.command.help.trimEnd() + '\n');
    return 0;
  }
  try {
    return await found.command.run(found.rest, io);
  } catch (error) {
    const parseArgsError = error instanceof Error ? (error as { code?: unknown }).code : undefined;
    if (
      error instanceof UsageError ||
      (typeof parseArgsError === 'string' && parseArgsError.startsWith('ERR_PARSE_ARGS'))
    ) {
      io.stderr.write(`cordon ${found.command.name}: ${(error as Error).message}\n`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(`cordon ${found.command.name}: ${message}\n`);
    if (io.env['CORDON_DEBUG'] && error instanceof Error && error.stack) {
      io.stderr.write(error.stack + '\n');
    }
    return 1;
  }
}
