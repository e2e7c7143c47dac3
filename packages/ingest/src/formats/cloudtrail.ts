/**
 * AWS CloudTrail records (one record, or the `{"Records":[…]}` shape of the files CloudTrail
 * writes to S3; the caller splits those). The record is kept whole in `fields` — SigmaHQ's
 * CloudTrail rules use its names (`eventSource`, `eventName`, `userIdentity.type`,
 * `errorCode`) — and ECS gets `cloud.*`, `event.action/provider/outcome`, `source.ip` (or
 * `source.domain` when AWS itself made the call, e.g. `ec2.amazonaws.com`), `user.name` and
 * `user_agent.original`.
 */
import type { EventParts } from '../event-builder.ts';
import type { JsonObject, JsonValue } from '../ingest-event.ts';
import { parseTimestampValue } from '../time/parse-timestamp.ts';

export function isCloudTrailRecord(value: JsonObject): boolean {
  return (
    typeof value.eventSource === 'string' &&
    typeof value.eventName === 'string' &&
    (value.eventTime !== undefined || value.awsRegion !== undefined)
  );
}

export function cloudTrailParts(value: JsonObject): EventParts {
  const identity = obj(value.userIdentity);
  const sessionIssuer = obj(obj(identity.sessionContext).sessionIssuer);
  const arn = str(identity.arn);
  const userName =
    str(identity.userName) ??
    // An assumed role's ARN ends in the session name: the person, not the role.
    (arn === undefined ? undefined : arn.slice(arn.lastIndexOf('/') + 1) || undefined) ??
    str(sessionIssuer.userName) ??
    (identity.type === 'Root' ? 'root' : undefined);
  const sourceAddress = str(value.sourceIPAddress);
  const isIp =
    sourceAddress !== undefined && /^[\d.]+$|^[0-9a-fA-F:]+:[0-9a-fA-F:.]*$/.test(sourceAddress);
  const errorCode = str(value.errorCode);
  const consoleLogin = str(obj(value.responseElements).ConsoleLogin);
  const failed = errorCode !== undefined || consoleLogin === 'Failure';
  const eventName = str(value.eventName);
  return {
    timestamp: parseTimestampValue(value.eventTime),
    event: {
      dataset: 'aws.cloudtrail',
      module: 'aws',
      action: eventName,
      provider: str(value.eventSource),
      outcome: failed ? 'failure' : 'success',
      category: eventName === 'ConsoleLogin' ? ['authentication'] : undefined,
      type: eventName === 'ConsoleLogin' ? ['start'] : undefined,
      reason: str(value.errorMessage),
      id: str(value.eventID),
    },
    cloud: {
      provider: 'aws',
      region: str(value.awsRegion),
      account: { id: str(value.recipientAccountId) ?? str(identity.accountId) },
      service: { name: str(value.eventSource)?.replace(/\.amazonaws\.com$/, '') },
    },
    source: isIp ? { ip: sourceAddress } : { domain: sourceAddress },
    user: { name: userName, id: str(identity.principalId) },
    user_agent: { original: str(value.userAgent) },
    log_source: { product: 'aws', service: 'cloudtrail' },
    fields: value,
  };
}

function obj(value: JsonValue | undefined): JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonObject)
    : {};
}

function str(value: JsonValue | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
