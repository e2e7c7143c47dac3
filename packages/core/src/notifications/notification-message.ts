/**
 * The text of a notification: a subject and plain text for e-mail, and the JSON body a webhook
 * receives (the journal entry's reference and hash, the incident, the recipients). Fixed when
 * the entry is routed, so a replay sends what was sent the first time.
 */
import type { Incident } from '../incidents/incident.ts';
import type { JournalEntry } from '../journal/journal-entry.ts';
import type { NotificationMessage, NotificationRecipient } from './notification-channel.ts';

// eslint-disable-next-line no-control-regex -- control characters never reach a header
const oneLine = (text: string): string => text.replace(/[\x00-\x1f\x7f]+/g, ' ').slice(0, 200);

export function notificationMessage(input: {
  readonly id: string;
  readonly event: string;
  readonly entry: JournalEntry;
  readonly incident: Incident | undefined;
  readonly recipients: readonly NotificationRecipient[];
}): NotificationMessage {
  const { entry, incident, event } = input;
  const label = event.replaceAll('_', ' ');
  const about = incident ? `incident #${incident.number} ${incident.title}` : entry.kind;
  const subject = oneLine(`[Cordon] ${label}: ${about}`);
  const lines = [
    `${label} (${entry.kind}) at ${new Date(entry.at).toISOString()} by ${entry.actor}`,
    ...(incident
      ? [
          `Incident #${incident.number}: ${incident.title}`,
          `Severity ${incident.severity}, phase ${incident.phase}`,
        ]
      : []),
    `Journal entry ${entry.seq}, hash ${entry.hash}`,
    `Notification ${input.id}`,
  ];
  return {
    subject,
    text: `${lines.join('\n')}\n`,
    body: {
      id: input.id,
      event,
      tenantId: entry.tenantId,
      journal: {
        seq: entry.seq,
        kind: entry.kind,
        at: new Date(entry.at).toISOString(),
        actor: entry.actor,
        hash: entry.hash,
      },
      incident: incident
        ? {
            id: incident.id,
            number: incident.number,
            title: incident.title,
            severity: incident.severity,
            phase: incident.phase,
          }
        : null,
      payload: entry.payload ?? null,
      recipients: input.recipients,
    },
  };
}
