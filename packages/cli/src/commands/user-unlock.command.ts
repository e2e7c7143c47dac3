/**
 * `cordon user unlock --email E --admin A --password-stdin`: lifts every sign-in lock and
 * slowdown on an account. The lock is kept in the running server's memory (the login
 * throttle), not in the database, so this goes through the server's API: it signs in as the
 * platform admin `A` (password on standard input; API tokens are tenant-scoped and never a
 * platform admin), calls `POST /api/v1/auth/unlock` with the session's CSRF token, and signs
 * out. The unlock is journalled on the platform journal by the server.
 */
import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import { ApiError } from '../api/api-client.ts';
import { printJson, readStdin } from '../admin/admin-context.ts';

interface Failure {
  readonly error?: { readonly code?: string; readonly message?: string };
}

async function call(
  server: string,
  path: string,
  init: { body?: unknown; cookie?: string; csrf?: string },
): Promise<{ response: Response; body: unknown }> {
  let response: Response;
  try {
    response = await fetch(`${server}${path}`, {
      method: 'POST',
      headers: {
        ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(init.cookie ? { cookie: init.cookie } : {}),
        ...(init.csrf ? { 'x-csrf-token': init.csrf } : {}),
      },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new ApiError(0, 'unavailable', `cannot reach ${server}: ${(error as Error).message}`);
  }
  const text = await response.text();
  const body = text === '' ? undefined : (JSON.parse(text) as unknown);
  if (!response.ok) {
    const failure = (body as Failure | undefined)?.error;
    throw new ApiError(
      response.status,
      failure?.code ?? 'internal',
      `${path}: ${failure?.message ?? `HTTP ${response.status}`}`,
    );
  }
  return { response, body };
}

export const userUnlockCommand: Command = {
  name: 'user unlock',
  summary: "Lift an account's sign-in lock (asks the running server; a platform admin signs in)",
  help: [
    'Usage: cordon user unlock --email E --admin A --password-stdin [--server URL] [--json]',
    '',
    'Sign-in locks live in the running server, so this signs in to it as the platform admin A',
    '(password read from standard input), lifts every lock and slowdown on E, and signs out.',
    '',
    'Options:',
    '  --email E          the locked account',
    '  --admin A          a platform admin’s email',
    '  --password-stdin   read the admin’s password from standard input (required)',
    '  --server URL       the server (default CORDON_SERVER or http://127.0.0.1:8080)',
    '  --json             print {"email", "wasRestricted"}',
  ].join('\n'),
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: {
        email: { type: 'string' },
        admin: { type: 'string' },
        'password-stdin': { type: 'boolean', default: false },
        server: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      strict: true,
    });
    if (!values.email) throw new UsageError('--email is required');
    if (!values.admin) throw new UsageError('--admin (a platform admin’s email) is required');
    if (!values['password-stdin'])
      throw new UsageError('--password-stdin is required: the password is never an argument');
    const password = (await readStdin(io)).replace(/\r?\n$/, '');
    const server = (values.server ?? io.env['CORDON_SERVER'] ?? 'http://127.0.0.1:8080').replace(
      /\/+$/,
      '',
    );
    const login = await call(server, '/api/v1/auth/login', {
      body: { email: values.admin, password },
    });
    const cookie = (login.response.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
    const csrf = (login.body as { csrfToken: string }).csrfToken;
    let result: { email: string; wasRestricted: boolean };
    try {
      result = (
        await call(server, '/api/v1/auth/unlock', { body: { email: values.email }, cookie, csrf })
      ).body as { email: string; wasRestricted: boolean };
    } finally {
      await call(server, '/api/v1/auth/logout', { cookie, csrf }).catch(() => undefined);
    }
    if (values.json) printJson(io, result);
    else
      io.stdout.write(
        `${result.email}: ${result.wasRestricted ? 'sign-in lock lifted' : 'was not locked (nothing to lift)'}\n`,
      );
    return 0;
  },
};
