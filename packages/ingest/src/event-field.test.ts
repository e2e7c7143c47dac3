import { describe, expect, it } from 'vitest';
import { eventField, eventKeywordText } from './event-field.ts';
import type { IngestEvent } from './ingest-event.ts';

const event: IngestEvent = {
  '@timestamp': '2024-10-11T22:14:15.000Z',
  event: {
    kind: 'event',
    dataset: 'zeek.http',
    ingested: '2024-10-11T22:14:16.000Z',
    original: 'raw',
  },
  host: { name: 'sensor01' },
  source: { ip: '10.0.0.5', port: 51000 },
  log_source: { product: 'zeek', service: 'http' },
  fields: {
    host: 'evil.example',
    'id.orig_h': '10.0.0.5',
    userIdentity: { type: 'Root', sessionContext: { attributes: { mfaAuthenticated: 'false' } } },
    resources: [{ ARN: 'arn:a' }, { ARN: 'arn:b' }],
  },
};

describe('eventField', () => {
  it('prefers the source name over the ECS root of the same name', () => {
    expect(eventField(event, 'host')).toBe('evil.example');
    expect(eventField(event, 'host.name')).toBe('sensor01');
  });
  it('finds flat dotted source keys, nested source paths and ECS paths', () => {
    expect(eventField(event, 'id.orig_h')).toBe('10.0.0.5');
    expect(eventField(event, 'userIdentity.type')).toBe('Root');
    expect(eventField(event, 'userIdentity.sessionContext.attributes.mfaAuthenticated')).toBe(
      'false',
    );
    expect(eventField(event, 'source.port')).toBe(51000);
    expect(eventField(event, 'log_source.product')).toBe('zeek');
    expect(eventField(event, '@timestamp')).toBe('2024-10-11T22:14:15.000Z');
  });
  it('collects values through arrays and gives undefined for missing fields', () => {
    expect(eventField(event, 'resources.ARN')).toEqual(['arn:a', 'arn:b']);
    expect(eventField(event, 'destination.ip')).toBeUndefined();
    expect(eventField(event, 'userIdentity.type.more')).toBeUndefined();
  });
  it('gives keywords the message, else the raw record', () => {
    expect(eventKeywordText(event)).toBe('raw');
    expect(eventKeywordText({ ...event, message: 'm' })).toBe('m');
  });
});
