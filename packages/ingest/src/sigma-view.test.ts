import { loadRules, SigmaEngine } from '@cordon/sigma';
import { describe, expect, it } from 'vitest';
import { sigmaView } from './sigma-view.ts';
import { parseOne } from './testing/test-support.ts';

function engineFor(detection: string): SigmaEngine {
  const text = `title: t\nid: 11111111-2222-3333-4444-555555555555\nlogsource:\n  product: linux\n  service: sshd\ndetection:\n${detection}\nlevel: high\n`;
  return new SigmaEngine(loadRules([{ file: 'rule.yml', text }]).detections);
}

describe('sigmaView', () => {
  const line =
    '<38>Oct 11 22:14:15 bastion sshd[4021]: Failed password for root from 198.51.100.23 port 40111 ssh2';

  it('keeps event.original readable by name but out of keyword searches', () => {
    const event = parseOne(line);
    expect(event.event.original).toBe(line);
    const view = sigmaView(event);
    const meta = view['event'] as Record<string, unknown>;
    expect(meta['original']).toBe(line);
    expect(Object.keys(meta)).not.toContain('original');
    // The event itself is not changed.
    expect(Object.keys(event.event)).toContain('original');
    // `<38>` occurs only in the record as received (its priority).
    const keyword = engineFor(`  kw:\n    - '<38>'\n  condition: kw`);
    expect(keyword.match(view, event.log_source)).toEqual([]);
    const field = engineFor(`  sel:\n    event.original|contains: '<38>'\n  condition: sel`);
    expect(field.match(view, event.log_source)).toHaveLength(1);
    // Keywords still search every parsed value.
    const message = engineFor(`  kw:\n    - 'Failed password'\n  condition: kw`);
    expect(message.match(view, event.log_source)).toHaveLength(1);
  });
});
