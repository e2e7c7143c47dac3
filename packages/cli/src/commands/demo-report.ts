/** What `cordon demo` and `cordon serve --demo` print about the demo tenant. */
import type { DemoSetup } from '@cordon/server';

export function demoReport(setup: DemoSetup, url: string | null): string {
  const lines = [`Demo tenant (generated sample data): ${setup.tenantId}`];
  if (url) lines.push(`  open ${url} and sign in as the demo user`);
  lines.push(`  demo user: ${setup.email} (incident lead of the demo tenant only)`);
  switch (setup.kind) {
    case 'created':
      lines.push(
        setup.password === null
          ? '  password: unchanged (the user existed already)'
          : `  password (shown once): ${setup.password}`,
      );
      lines.push(
        `  incidents from the replayed attack: ${setup.incidents.map((i) => `${i.reference} ${i.phase}`).join(', ')}`,
      );
      break;
    case 'existing':
      lines.push('  already set up: nothing added (the password was shown when it was set up)');
      break;
  }
  return `${lines.join('\n')}\n`;
}
