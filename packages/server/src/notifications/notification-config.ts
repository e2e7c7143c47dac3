/**
 * Notification delivery: the SMTP relay, retries, and which addresses webhooks may reach.
 *
 * Webhook destinations (SSRF): every address a target resolves to is checked, and the request
 * goes to the checked address (no second lookup, no redirects followed). An address in
 * `allowCidrs` is allowed; otherwise one in the denied ranges is refused. Denied by default:
 * loopback, link-local (169.254.0.0/16, fe80::/10, where cloud metadata lives), the metadata
 * addresses 169.254.169.254, fd00:ec2::254 and 100.100.100.200, unspecified, multicast and
 * reserved ranges. Private ranges (10/8, 172.16/12, 192.168/16, fc00::/7) are allowed, since an
 * MSSP's paging and ticketing systems often live there; deny them with `denyCidrs`.
 *
 * Environment: CORDON_SMTP_URL (smtp://host:port or smtps://user:pass@host), CORDON_SMTP_FROM,
 * CORDON_WEBHOOK_ALLOW_CIDRS and CORDON_WEBHOOK_DENY_CIDRS (comma-separated),
 * CORDON_NOTIFY_MAX_ATTEMPTS.
 */
export interface NotificationConfig {
  readonly smtpUrl: string | undefined;
  readonly smtpFrom: string;
  readonly allowCidrs: readonly string[];
  readonly denyCidrs: readonly string[];
  /** Attempts before an item goes to the dead-letter list. */
  readonly maxAttempts: number;
  /** Backoff: base × 2^(attempt−1), capped, then a random share of it (jitter). */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  readonly requestTimeoutMs: number;
  /** Routing and delivery pass interval. */
  readonly intervalMs: number;
}

export const DEFAULT_DENIED_CIDRS: readonly string[] = [
  '0.0.0.0/8',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '100.100.100.200/32',
  '192.0.0.0/24',
  '224.0.0.0/4',
  '240.0.0.0/4',
  '::/128',
  '::1/128',
  'fe80::/10',
  'fd00:ec2::254/128',
  'ff00::/8',
];

export const defaultNotificationConfig: NotificationConfig = {
  smtpUrl: undefined,
  smtpFrom: 'cordon@localhost',
  allowCidrs: [],
  denyCidrs: [],
  maxAttempts: 8,
  baseDelayMs: 5_000,
  maxDelayMs: 600_000,
  requestTimeoutMs: 10_000,
  intervalMs: 1_000,
};

const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export function notificationConfigFromEnv(env: NodeJS.ProcessEnv): NotificationConfig {
  const attempts = Number(
    env['CORDON_NOTIFY_MAX_ATTEMPTS'] ?? defaultNotificationConfig.maxAttempts,
  );
  if (!Number.isInteger(attempts) || attempts < 1 || attempts > 50)
    throw new Error('CORDON_NOTIFY_MAX_ATTEMPTS takes 1 to 50');
  return {
    ...defaultNotificationConfig,
    smtpUrl: env['CORDON_SMTP_URL'] || undefined,
    smtpFrom: env['CORDON_SMTP_FROM'] || defaultNotificationConfig.smtpFrom,
    allowCidrs: list(env['CORDON_WEBHOOK_ALLOW_CIDRS']),
    denyCidrs: list(env['CORDON_WEBHOOK_DENY_CIDRS']),
    maxAttempts: attempts,
  };
}
