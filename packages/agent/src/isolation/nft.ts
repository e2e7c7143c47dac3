/** Thin access to the `nft` binary: apply a script atomically, list our tables. */
import { runProgram } from '../system/run-program.ts';

export interface NftOptions {
  /** Path of the nft binary; default `nft` from PATH. */
  readonly nftPath?: string;
}

export async function applyNftScript(script: string, options: NftOptions = {}): Promise<void> {
  await runProgram(options.nftPath ?? 'nft', ['-f', '-'], { input: script });
}

export async function nftTableExists(table: string, options: NftOptions = {}): Promise<boolean> {
  const { stdout } = await runProgram(options.nftPath ?? 'nft', ['list', 'tables', 'inet']);
  return stdout.split('\n').some((line) => line.trim() === `table inet ${table}`);
}

export async function listNftTable(table: string, options: NftOptions = {}): Promise<string> {
  const { stdout } = await runProgram(options.nftPath ?? 'nft', ['list', 'table', 'inet', table]);
  return stdout;
}
