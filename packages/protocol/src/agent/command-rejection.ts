/** Why an agent refused a command. Closed union: each reason is reported to the server as is. */
export type CommandRejectionReason =
  | 'malformed'
  | 'unsigned'
  | 'bad-signature'
  | 'wrong-tenant'
  | 'wrong-agent'
  | 'expired'
  | 'not-yet-valid'
  | 'replayed-nonce';

export interface CommandRejection {
  readonly reason: CommandRejectionReason;
  readonly detail: string;
  /** Present when the envelope was readable enough to name the command. */
  readonly commandId?: string;
}
