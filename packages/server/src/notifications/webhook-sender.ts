/**
 * Delivers a notification to a webhook: a POST of the JSON body with
 * `X-Cordon-Signature: v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>`, the timestamp in
 * `X-Cordon-Timestamp` (epoch ms; receivers refuse stale ones) and the outbox id in
 * `X-Cordon-Delivery` (receivers drop repeats: after a crash between their answer and our
 * commit, the item is sent again). Only a 2xx answer counts; redirects are not followed.
 */
import { createHmac } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import type { LookupFunction } from 'node:net';
import type { DestinationPolicy } from './destination-policy.ts';

export interface SignedRequest {
  readonly body: string;
  readonly headers: Record<string, string>;
}

export function signWebhook(input: {
  readonly secret: string;
  readonly body: unknown;
  readonly timestamp: number;
  readonly deliveryId: string;
  readonly event: string;
}): SignedRequest {
  const body = JSON.stringify(input.body);
  const timestamp = String(input.timestamp);
  const signature = createHmac('sha256', input.secret).update(`${timestamp}.${body}`).digest('hex');
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'Cordon-Notifications/1',
      'x-cordon-timestamp': timestamp,
      'x-cordon-signature': `v1=${signature}`,
      'x-cordon-delivery': input.deliveryId,
      'x-cordon-event': input.event,
    },
  };
}

/** Resolves `host` and checks every address; returns the one to connect to. */
async function checkedAddress(
  host: string,
  policy: DestinationPolicy,
): Promise<{ address: string; family: number }> {
  const bare = host.replace(/^\[|\]$/g, '');
  const found = isIP(bare)
    ? [{ address: bare, family: isIP(bare) }]
    : await lookup(bare, { all: true });
  if (found.length === 0) throw new Error(`${host} has no address`);
  for (const a of found) {
    const refusal = policy.refusal(a.address);
    if (refusal) throw new Error(refusal);
  }
  return found[0]!;
}

export async function postWebhook(input: {
  readonly url: string;
  readonly request: SignedRequest;
  readonly policy: DestinationPolicy;
  readonly timeoutMs: number;
}): Promise<void> {
  const url = new URL(input.url);
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new Error('not an http(s) target');
  const pinned = await checkedAddress(url.hostname, input.policy);
  const pinnedLookup: LookupFunction = (_host, options, callback) => {
    if (options.all) callback(null, [pinned]);
    else callback(null, pinned.address, pinned.family);
  };
  const client = url.protocol === 'https:' ? https : http;
  await new Promise<void>((resolve, reject) => {
    const req = client.request(
      url,
      {
        method: 'POST',
        headers: {
          ...input.request.headers,
          'content-length': String(Buffer.byteLength(input.request.body)),
        },
        lookup: pinnedLookup,
        timeout: input.timeoutMs,
      },
      (res) => {
        res.resume(); // the answer's body is not read
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) resolve();
        else reject(new Error(`HTTP ${status}`));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${input.timeoutMs} ms`)));
    req.on('error', reject);
    req.end(input.request.body);
  });
}
