import type { Command } from '../command.ts';
import { evtxDumpCommand } from './evtx-dump.command.ts';
import { huntCommand } from './hunt.command.ts';
import { rulesCheckCommand } from './rules-check.command.ts';

/** Every subcommand of `cordon`. Add one line per command file. */
export const commands: readonly Command[] = [evtxDumpCommand, rulesCheckCommand, huntCommand];
