import type { Command } from '../command.ts';
import { evtxDumpCommand } from './evtx-dump.command.ts';

/** Every subcommand of `cordon`. Add one line per command file. */
export const commands: readonly Command[] = [evtxDumpCommand];
