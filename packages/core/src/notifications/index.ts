/** Notifications: channels, routing rules over the journal, the outbox and its dead letters. */
export * from './notification-event.ts';
export * from './notification-channel.ts';
export type * from './notification-repositories.ts';
export * from './notification-message.ts';
export * from './notification-router.ts';
export * from './notification.service.ts';
