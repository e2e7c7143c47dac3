/**
 * Hostile detection content for tests: a Sigma rule that is a YAML alias bomb (a few hundred
 * bytes whose expansion took 50 s to compile), a regex rule whose automaton is large, Windows
 * events carrying 64 KB values, and a watch that polls `/healthz` and keeps its slowest answer.
 */

/** Seven levels of aliases, each naming the previous one six times: 6^8 strings once expanded. */
export function aliasBombRule(id = '5f0c3c3e-0000-4000-8000-00000000b0b0'): string {
  const lines = [
    'title: alias bomb',
    `id: ${id}`,
    'logsource:',
    '  product: windows',
    `l0: &l0 [${Array(6).fill('"aaaaaaaa"').join(',')}]`,
  ];
  for (let i = 1; i <= 7; i++)
    lines.push(
      `l${i}: &l${i} [${Array(6)
        .fill(`*l${i - 1}`)
        .join(',')}]`,
    );
  lines.push(
    'detection:',
    '  sel:',
    '    CommandLine|contains: *l7',
    '  condition: sel',
    'level: high',
  );
  return lines.join('\n');
}

/** issue 13 item 6: a counted repetition compiles to a large automaton; long values cost. */
export const costlyRegexRule = `title: costly regex
id: 5f0c3c3e-0000-4000-8000-00000000c0c0
logsource:
  product: windows
  service: security
detection:
  sel1:
    TargetUserName|re: 'a[ab]{999}c'
  sel2:
    TargetUserName|re: 'a[ab]{998}d'
  sel3:
    TargetUserName|re: 'a[ab]{997}e'
  condition: 1 of sel*
level: high
`;

/** NDJSON of Windows 4625 records whose TargetUserName is 64 KB of `a`, each one different. */
export function longValueRecords(count: number): string {
  const lines: string[] = [];
  for (let i = 0; i < count; i++)
    lines.push(
      JSON.stringify({
        '@timestamp': new Date(Date.UTC(2024, 9, 11, 22, 0, i)).toISOString(),
        winlog: {
          channel: 'Security',
          computer_name: `WS${i}.corp.example`,
          event_id: 4625,
          provider_name: 'Microsoft-Windows-Security-Auditing',
          event_data: { TargetUserName: `${i}`.padEnd(65_536, 'a'), LogonType: '3' },
        },
      }),
    );
  return lines.join('\n') + '\n';
}

/** Polls `base/healthz` every 100 ms until stopped; `stop` gives the slowest answer (ms). */
export function watchHealth(base: string): { stop(): Promise<number> } {
  let running = true;
  let slowest = 0;
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      const response = await fetch(`${base}/healthz`);
      await response.text();
      slowest = Math.max(slowest, performance.now() - started);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return slowest;
    },
  };
}

export async function waitFor(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`not reached within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
