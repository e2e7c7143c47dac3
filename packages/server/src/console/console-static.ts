/**
 * Serves the built console (packages/web's `dist`) at `/`: files read once at start and kept in
 * memory with their gzip form, hashed assets cached for a year, `index.html` never cached, a
 * strict Content-Security-Policy, and the SPA fallback (any other path without a file
 * extension gets `index.html`, so a bookmarked `/t/…/incidents?phase=…` opens). `/api/…`
 * never falls back: an unknown API path stays a JSON 404.
 */
import { CordonError } from '@cordon/core';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { App } from '../routes/route-context.ts';

/** Styles: Mantine writes its CSS variables into a style element and style attributes. */
export const CONSOLE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'self'",
].join('; ');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

interface StaticFile {
  readonly body: Buffer;
  readonly gzip: Buffer | undefined;
  readonly type: string;
  readonly immutable: boolean;
}

function walk(dir: string, root: string, into: Map<string, StaticFile>): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      walk(path, root, into);
      continue;
    }
    const type = TYPES[extname(name)];
    if (!type) continue;
    const body = readFileSync(path);
    const url = '/' + relative(root, path).split(sep).join('/');
    into.set(url, {
      body,
      gzip: body.length > 1024 && !type.startsWith('image/png') ? gzipSync(body) : undefined,
      type,
      // Vite names everything under assets/ by its content hash.
      immutable: url.startsWith('/assets/'),
    });
  }
}

export function loadConsoleFiles(dir: string | undefined): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  if (dir && existsSync(join(dir, 'index.html'))) walk(dir, dir, files);
  return files;
}

const NOT_BUILT = Buffer.from(
  '<!doctype html><html lang="en"><meta charset="utf-8"><title>Cordon</title>' +
    '<p>The console is not built. Run <code>npm start</code> (it builds the console first) or ' +
    '<code>npm run build -w @cordon/web</code>. The API is at <code>/api/v1</code>.</p></html>',
);

export function consoleStaticRoutes(app: App, dir: string | undefined): void {
  const files = loadConsoleFiles(dir);
  const send = (request: FastifyRequest, reply: FastifyReply, file: StaticFile): FastifyReply => {
    void reply
      .header('content-type', file.type)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .header('cache-control', file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
    if (file.type.startsWith('text/html')) {
      void reply.header('content-security-policy', CONSOLE_CSP).header('x-frame-options', 'DENY');
    }
    const accepts = String(request.headers['accept-encoding'] ?? '');
    void reply.header('vary', 'accept-encoding');
    if (file.gzip && /\bgzip\b/.test(accepts)) {
      return reply.header('content-encoding', 'gzip').send(file.gzip);
    }
    return reply.send(file.body);
  };
  const index = files.get('/index.html') ?? {
    body: NOT_BUILT,
    gzip: undefined,
    type: 'text/html; charset=utf-8',
    immutable: false,
  };
  const handler = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
    let path: string;
    try {
      path = decodeURIComponent(request.url.split('?')[0] ?? '/');
    } catch {
      throw new CordonError('not_found', 'no such file');
    }
    if (path.startsWith('/api/')) throw new CordonError('not_found', 'no such API route');
    const file = files.get(path);
    if (file) return send(request, reply, file);
    if (extname(path) !== '') throw new CordonError('not_found', 'no such file');
    return send(request, reply, index);
  };
  app.get('/', { config: { public: true }, schema: { hide: true } }, handler);
  app.get('/*', { config: { public: true }, schema: { hide: true } }, handler);
}
