/**
 * What client commands share: the server's API at CORDON_SERVER (default
 * http://127.0.0.1:8080) with the bearer token in CORDON_TOKEN, and the tenant from `--tenant`,
 * CORDON_TENANT, or — for a tenant API token — the token itself (`/auth/me`).
 */
import type { CommandIo } from '../command.ts';
import { UsageError } from '../command.ts';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export interface ApiClient {
  readonly server: string;
  request<T>(method: string, path: string, body?: unknown): Promise<T>;
  tenantId(explicit: string | undefined): Promise<string>;
}

export const apiOptionsHelp = [
  'Environment: CORDON_SERVER (default http://127.0.0.1:8080), CORDON_TOKEN (API token),',
  'CORDON_TENANT (tenant id; a tenant API token implies its own).',
].join('\n');

/**
 * The server's URL and the API token: `--server` / `--token` when given, else CORDON_SERVER
 * (default http://127.0.0.1:8080) and CORDON_TOKEN. A missing token is a usage error.
 */
export function apiEndpoint(
  env: CommandIo['env'],
  options: { readonly server?: string | undefined; readonly token?: string | undefined } = {},
  tokenHint = 'cordon token create',
): { server: string; token: string } {
  const server = (options.server ?? env['CORDON_SERVER'] ?? 'http://127.0.0.1:8080').replace(
    /\/+$/,
    '',
  );
  const token = options.token ?? env['CORDON_TOKEN'];
  if (token === undefined || token === '')
    throw new UsageError(`give --token or set CORDON_TOKEN to an API token (${tokenHint})`);
  return { server, token };
}

export function apiClient(
  io: CommandIo,
  options: { readonly server?: string | undefined; readonly token?: string | undefined } = {},
): ApiClient {
  const { server, token } = apiEndpoint(io.env, options);
  const request = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    let response: Response;
    try {
      response = await fetch(`${server}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        signal: AbortSignal.timeout(30_000),
      });
    } catch (error) {
      throw new ApiError(0, 'unavailable', `cannot reach ${server}: ${(error as Error).message}`);
    }
    const text = await response.text();
    const parsed = text === '' ? undefined : (JSON.parse(text) as unknown);
    if (!response.ok) {
      const failure = (parsed as { error?: { code?: string; message?: string } } | undefined)
        ?.error;
      throw new ApiError(
        response.status,
        failure?.code ?? 'internal',
        failure?.message ?? `HTTP ${response.status}`,
      );
    }
    return parsed as T;
  };
  return {
    server,
    request,
    tenantId: async (explicit) => {
      const given = explicit ?? io.env['CORDON_TENANT'];
      if (given !== undefined && given !== '') return given;
      const me = await request<{ kind: string; tenantId?: string }>('GET', '/api/v1/auth/me');
      if (me.tenantId === undefined)
        throw new UsageError('name the tenant: --tenant ID or CORDON_TENANT');
      return me.tenantId;
    },
  };
}
