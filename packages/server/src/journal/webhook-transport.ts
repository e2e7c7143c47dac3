/**
 * Witness transport: an HTTP(S) POST of each signed checkpoint, as JSON, to a URL the operator
 * runs elsewhere (an archive, a SIEM, a notary). Any 2xx answer counts as received.
 */
import type { WitnessTransport } from './remote-witness.ts';

const TIMEOUT_MS = 5000;

export function webhookTransport(url: string): WitnessTransport {
  const target = new URL(url);
  if (target.protocol !== 'https:' && target.protocol !== 'http:') {
    throw new Error(`journal witness webhook must be http(s), not ${target.protocol}`);
  }
  return {
    name: `webhook ${target.origin}${target.pathname}`,
    async send(line) {
      const response = await fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: line,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      await response.body?.cancel();
      if (!response.ok) throw new Error(`webhook answered ${response.status}`);
    },
    close: async () => undefined,
  };
}
