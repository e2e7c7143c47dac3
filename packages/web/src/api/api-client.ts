/**
 * The one way the console talks to the API: same-origin fetch with the session cookie, the
 * session's CSRF token on every state-changing request, JSON in and out, and errors turned
 * into `ApiError` once. The CSRF token lives only in memory (set at sign-in, or learnt again
 * from `/auth/me` after a reload); the session itself is an HttpOnly cookie script never sees.
 */
import { ApiError } from './api-error.ts';
import type { ApiErrorBody } from './api-types.ts';

let csrfToken: string | undefined;

export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

type Query = Readonly<Record<string, string | number | undefined | null>>;

function withQuery(path: string, query: Query | undefined): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

async function failure(response: Response): Promise<ApiError> {
  try {
    const body = (await response.json()) as Partial<ApiErrorBody>;
    if (body.error) {
      return new ApiError({
        code: body.error.code,
        status: response.status,
        message: body.error.message,
        details: body.error.details,
      });
    }
  } catch {
    // Not JSON (a proxy's page): fall through to the status line.
  }
  return new ApiError({
    code: response.status === 401 ? 'unauthenticated' : 'internal',
    status: response.status,
    message: `${response.status} ${response.statusText}`,
  });
}

async function call<T>(method: string, path: string, body?: unknown, query?: Query): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(withQuery(`/api/v1${path}`, query), {
      method,
      headers,
      credentials: 'same-origin',
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
  } catch (error) {
    throw new ApiError({
      code: 'network',
      status: 0,
      message:
        error instanceof Error
          ? `cannot reach the server: ${error.message}`
          : 'cannot reach the server',
    });
  }
  if (!response.ok) throw await failure(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export const api = {
  get: <T>(path: string, query?: Query): Promise<T> => call<T>('GET', path, undefined, query),
  post: <T>(path: string, body?: unknown): Promise<T> => call<T>('POST', path, body ?? {}),
  patch: <T>(path: string, body: unknown): Promise<T> => call<T>('PATCH', path, body),
  put: <T>(path: string, body: unknown): Promise<T> => call<T>('PUT', path, body),
  delete: <T>(path: string): Promise<T> => call<T>('DELETE', path),
};

/** Path of a tenant-scoped resource, with each id encoded. */
export function tenantPath(tenantId: string, ...parts: readonly string[]): string {
  return ['/tenants', tenantId, ...parts]
    .map((p, i) => (i === 0 ? p : encodeURIComponent(p)))
    .join('/');
}
