/**
 * Runs a program with an argument array (never a shell), optional stdin, and a timeout.
 * Every system tool the agent uses (`nft`, `usermod`, `pkill`) goes through here, so no
 * parameter ever reaches a shell parser.
 */
import { spawn } from 'node:child_process';
import { AgentError } from '../agent-error.ts';

export interface ProgramResult {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface RunProgramOptions {
  readonly input?: string;
  readonly timeoutMs?: number;
  /** Exit codes that count as success; default `[0]`. */
  readonly okExitCodes?: readonly number[];
}

const MAX_OUTPUT_CHARS = 8 * 1024 * 1024;

export function runProgram(
  file: string,
  args: readonly string[],
  options: RunProgramOptions = {},
): Promise<ProgramResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'], shell: false });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 15_000);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      if (stdout.length < MAX_OUTPUT_CHARS) stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      if (stderr.length < MAX_OUTPUT_CHARS) stderr += chunk;
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(
        new AgentError('system-failure', `cannot run ${file}: ${error.message}`, { cause: error }),
      );
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const exitCode = code ?? 128;
      if (signal !== null || !(options.okExitCodes ?? [0]).includes(exitCode)) {
        const why = signal !== null ? `killed by ${signal}` : `exit code ${exitCode}`;
        reject(
          new AgentError(
            'system-failure',
            `${file} ${args.join(' ')} failed (${why}): ${stderr.trim().slice(0, 2000)}`,
          ),
        );
        return;
      }
      resolve({ exitCode, stdout, stderr });
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}
