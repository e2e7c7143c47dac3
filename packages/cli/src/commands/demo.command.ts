/**
 * `cordon demo`: sets up the demo tenant in the data directory (or CORDON_DATABASE_URL) so the
 * next `cordon serve` shows a populated console: documented assets, a readiness score, and
 * incidents in several phases raised by live detection from a replayed attack. Runs the
 * server in-process without listening; a second run adds nothing.
 */
import { createServer, serverConfigFromEnv, setUpDemo } from '@cordon/server';
import { parseArgs } from 'node:util';
import type { Command } from '../command.ts';
import { resolveDataDir } from '../admin/admin-context.ts';
import { demoReport } from './demo-report.ts';

export const demoCommand: Command = {
  name: 'demo',
  summary: 'Set up a demo tenant with sample data (idempotent)',
  help: [
    'Usage: cordon demo [--data-dir D]',
    '',
    'Creates the tenant "Demo: Northwind Logistics (sample data)" with documented assets,',
    'business functions, backups, a response plan, roles and on-call, replays a generated',
    'attack through ingestion and live detection, and moves some of the incidents it raises',
    'through their phases. Prints the demo user and its generated password (once). A second',
    'run finds the tenant and adds nothing. `cordon serve --demo` does the same at start.',
  ].join('\n'),
  async run(args, io) {
    const { values } = parseArgs({
      args: [...args],
      options: { 'data-dir': { type: 'string' } },
      strict: true,
    });
    const config = serverConfigFromEnv(io.env, {
      dataDir: resolveDataDir(values['data-dir'], io),
      port: 0,
    });
    const server = await createServer({ config, logger: false });
    try {
      const setup = await setUpDemo(server);
      io.stdout.write(demoReport(setup, null));
      io.stdout.write('Start the server with `npm start` (or `npx cordon serve`) and sign in.\n');
      return 0;
    } finally {
      await server.close();
    }
  },
};
