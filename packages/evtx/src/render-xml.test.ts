import { describe, expect, it } from 'vitest';
import type { EvtxRecord } from './evtx-item.ts';
import { recordJson } from './render-json.ts';
import { recordXml } from './render-xml.ts';
import { FiletimeValue, GuidValue } from './xml-tree.ts';
import type { XmlContent, XmlElement, XmlValue } from './xml-tree.ts';

function element(
  name: string,
  attributes: Record<string, XmlValue>,
  children: XmlContent[] = [],
): XmlElement {
  return {
    kind: 'element',
    name,
    attributes: Object.entries(attributes).map(([n, v]) => ({ name: n, parts: [v] })),
    children,
  };
}

function text(value: XmlValue): XmlContent {
  return { kind: 'text', value, cdata: false };
}

const record: EvtxRecord = {
  kind: 'record',
  chunk: 0,
  offset: 4608,
  recordId: 7,
  timestamp: '2019-07-19T14:42:51.446281Z',
  content: [
    element('Event', { xmlns: 'http://schemas.microsoft.com/win/2004/08/events/event' }, [
      element('System', {}, [
        element('Provider', {
          Name: 'MSSQLSERVER',
          Guid: new GuidValue('5770385F-C22A-43E0-BF4C-06F5698FFBD9'),
        }),
        element('EventID', { Qualifiers: 16384 }, [text(18456)]),
        element('TimeCreated', { SystemTime: new FiletimeValue('2019-07-19T14:42:51.4462813Z') }),
        element('Computer', {}, [text('db<1>')]),
      ]),
      element('EventData', {}, [
        element('Data', {}, [text(['sa', ' Reason: bad password & more'])]),
        element('Data', { Name: 'Quoted' }, [text('it\'s "x"')]),
        element('Binary', {}, [text('DEAD')]),
      ]),
    ]),
  ],
};

describe('recordXml', () => {
  it('renders as Windows does: single quotes, braces on GUIDs, 7-digit times, escapes', () => {
    expect(recordXml(record)).toBe(
      "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>" +
        "<Provider Name='MSSQLSERVER' Guid='{5770385F-C22A-43E0-BF4C-06F5698FFBD9}'/>" +
        "<EventID Qualifiers='16384'>18456</EventID>" +
        "<TimeCreated SystemTime='2019-07-19T14:42:51.4462813Z'/>" +
        '<Computer>db&lt;1&gt;</Computer></System><EventData>' +
        '<Data><string>sa</string><string> Reason: bad password &amp; more</string></Data>' +
        "<Data Name='Quoted'>it's \"x\"</Data><Binary>DEAD</Binary></EventData></Event>",
    );
  });
});

describe('recordJson', () => {
  it('writes the evtx_dump shape with typed values', () => {
    expect(recordJson(record)).toEqual({
      Event: {
        '#attributes': { xmlns: 'http://schemas.microsoft.com/win/2004/08/events/event' },
        System: {
          Provider: {
            '#attributes': { Name: 'MSSQLSERVER', Guid: '5770385F-C22A-43E0-BF4C-06F5698FFBD9' },
          },
          EventID: { '#attributes': { Qualifiers: 16384 }, '#text': 18456 },
          TimeCreated: { '#attributes': { SystemTime: '2019-07-19T14:42:51.446281Z' } },
          Computer: 'db<1>',
        },
        EventData: {
          Data: { '#text': ['sa', 'Reason: bad password & more'] },
          Quoted: 'it\'s "x"',
          Binary: 'DEAD',
        },
      },
    });
  });
});
