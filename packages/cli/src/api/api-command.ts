/**
 * What the commands that talk to the API share once their arguments are parsed: the client and
 * the tenant (`--tenant`, CORDON_TENANT, or the token's own), the answer printed as JSON
 * (`--json`) or as lines for people, input files read with a bound, and one exit code policy —
 * 0 when it worked, 1 when the server refused (printed as `error: MESSAGE (CODE)`), 2 for a bad
 * command line (a UsageError, printed by `run-cli`).
 */
import { closeSync, existsSync, openSync, readSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Command, CommandIo } from '../command.ts';
import { UsageError } from '../command.ts';
import type { ApiClient } from './api-client.ts';
import { ApiError, apiClient, apiEndpoint, apiOptionsHelp } from './api-client.ts';

/** The options every API command takes (spread into `parseArgs`' options). */
export const apiCommandOptions = {
  tenant: { type: 'string' },
  json: { type: 'boolean', default: false },
} as const;

export interface ApiCall {
  readonly api: ApiClient;
  readonly tenantId: string;
  /** `/api/v1/tenants/{tenantId}`, for the paths under it. */
  readonly tenantPath: string;
}

/**
 * Runs `work` with the API client and the resolved tenant; a refusal from the server (or none at
 * all) is printed and gives exit code 1. `work` answers the exit code, 0 when it answers nothing.
 */
export async function withTenantApi(
  io: CommandIo,
  tenant: string | undefined,
  work: (call: ApiCall) => Promise<number | void>,
): Promise<number> {
  const api = apiClient(io);
  try {
    const tenantId = await api.tenantId(tenant);
    const tenantPath = `/api/v1/tenants/${encodeURIComponent(tenantId)}`;
    return (await work({ api, tenantId, tenantPath })) ?? 0;
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    io.stderr.write(`error: ${error.message} (${error.code})\n`);
    return 1;
  }
}

/**
 * A request whose answer is kept as the server sent it (a report, an archive, an export whose
 * SHA-256 the server gave); a refusal throws ApiError with the server's message.
 */
export async function fetchRaw(io: CommandIo, method: string, path: string): Promise<Response> {
  const { server, token } = apiEndpoint(io.env);
  let response: Response;
  try {
    response = await fetch(`${server}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(600_000),
    });
  } catch (error) {
    throw new ApiError(0, 'unavailable', `cannot reach ${server}: ${(error as Error).message}`);
  }
  if (!response.ok) {
    const failure = (
      (await response.json().catch(() => ({}))) as {
        error?: { code?: string; message?: string };
      }
    ).error;
    throw new ApiError(
      response.status,
      failure?.code ?? 'internal',
      failure?.message ?? `HTTP ${response.status}`,
    );
  }
  return response;
}

/** Prints `value` as JSON with `--json`, else the lines `human` makes of it. */
export function printAnswer<T>(
  io: CommandIo,
  json: boolean | undefined,
  value: T,
  human: (value: T) => string | readonly string[],
): void {
  if (json) {
    io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    return;
  }
  const text = human(value);
  const lines = typeof text === 'string' ? [text] : text;
  for (const line of lines) io.stdout.write(`${line}\n`);
}

/** A file's text, refused (a usage error) when it is missing or larger than `maxBytes`. */
export function readBoundedText(path: string, maxBytes: number): string {
  if (!existsSync(path)) throw new UsageError(`cannot read ${path}`);
  const fd = openSync(path, 'r');
  try {
    // Read one byte past the bound instead of trusting the size a stat reports (a FIFO, /proc).
    const buffer = Buffer.alloc(maxBytes + 1);
    let length = 0;
    for (;;) {
      const n = readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length > maxBytes) throw new UsageError(`${path} is larger than ${maxBytes} bytes`);
    }
    return buffer.subarray(0, length).toString('utf8');
  } finally {
    closeSync(fd);
  }
}

/** A JSON file (at most `maxBytes`), refused as a usage error when it is not JSON. */
export function readJsonFile(path: string, maxBytes: number): unknown {
  const text = readBoundedText(path, maxBytes);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new UsageError(`${path} is not JSON`);
  }
}

/** A comma-separated list, blanks dropped. */
export const commaList = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type ApiCommandValues = Record<string, string | boolean | undefined>;
type Options = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

/** An API command made of one call: what it asks, and how it prints the answer for people. */
export interface ApiCommandSpec {
  readonly name: string;
  readonly summary: string;
  readonly usage: string;
  readonly options?: Options;
  /** Whether the command takes an incident id (a UUID) as its one argument. */
  readonly incident: boolean;
  call(
    api: ApiClient,
    at: { readonly tenant: string; readonly tenantPath: string; readonly incident: string },
    values: ApiCommandValues,
  ): Promise<unknown>;
  /** Lines for people; without it the answer is printed as JSON. */
  print?(result: unknown): string | readonly string[];
}

/** A command from a spec: `--tenant` and `--json`, the incident argument checked, one call. */
export function defineApiCommand(spec: ApiCommandSpec): Command {
  return {
    name: spec.name,
    summary: spec.summary,
    help: [
      `Usage: cordon ${spec.name} ${spec.usage}`,
      '',
      'Options:',
      '  --tenant ID   tenant id (default CORDON_TENANT, or the API token’s own tenant)',
      '  --json        print the API answer as JSON',
      apiOptionsHelp,
    ].join('\n'),
    async run(args, io) {
      const { values, positionals } = parseArgs({
        args: [...args],
        options: { ...apiCommandOptions, ...spec.options },
        allowPositionals: true,
        strict: true,
      });
      const [incident, ...extra] = positionals;
      if (spec.incident ? incident === undefined || !UUID.test(incident) : incident !== undefined)
        throw new UsageError(spec.incident ? 'give one incident id (a UUID)' : 'no arguments');
      if (extra.length > 0) throw new UsageError('one incident id only');
      const tenant = typeof values['tenant'] === 'string' ? values['tenant'] : undefined;
      return withTenantApi(io, tenant, async ({ api, tenantId, tenantPath }) => {
        const result = await spec.call(
          api,
          { tenant: tenantId, tenantPath, incident: incident ?? '' },
          values,
        );
        const asJson = values['json'] === true || spec.print === undefined;
        printAnswer(io, asJson, result, (r) => spec.print?.(r) ?? []);
      });
    },
  };
}
