import { describe, expect, it } from 'vitest';
import { flattenEvent } from './flat-view.ts';

describe('flattenEvent', () => {
  it('names System fields, System attributes and EventData fields as Sigma rules do', () => {
    const flat = flattenEvent({
      Event: {
        '#attributes': { xmlns: 'http://schemas.microsoft.com/win/2004/08/events/event' },
        System: {
          Provider: {
            '#attributes': {
              Name: 'Microsoft-Windows-Sysmon',
              Guid: '5770385F-C22A-43E0-BF4C-06F5698FFBD9',
            },
          },
          EventID: 1,
          Level: 4,
          Keywords: '0x8000000000000000',
          TimeCreated: { '#attributes': { SystemTime: '2025-11-27T07:40:10.165324Z' } },
          EventRecordID: 571146,
          Correlation: null,
          Execution: { '#attributes': { ProcessID: 3544, ThreadID: 4272 } },
          Channel: 'Microsoft-Windows-Sysmon/Operational',
          Computer: 'host1',
          Security: { '#attributes': { UserID: 'S-1-5-18' } },
        },
        EventData: { Image: 'C:\\Windows\\System32\\cmd.exe', ProcessId: 4460, RuleName: null },
      },
    });
    expect(flat).toEqual({
      Provider_Name: 'Microsoft-Windows-Sysmon',
      Provider_Guid: '5770385F-C22A-43E0-BF4C-06F5698FFBD9',
      EventID: 1,
      Level: 4,
      Keywords: '0x8000000000000000',
      TimeCreated_SystemTime: '2025-11-27T07:40:10.165324Z',
      EventRecordID: 571146,
      Correlation: null,
      Execution_ProcessID: 3544,
      Execution_ThreadID: 4272,
      Channel: 'Microsoft-Windows-Sysmon/Operational',
      Computer: 'host1',
      Security_UserID: 'S-1-5-18',
      Image: 'C:\\Windows\\System32\\cmd.exe',
      ProcessId: 4460,
      RuleName: null,
    });
  });

  it('takes EventID from #text when it carries Qualifiers', () => {
    const flat = flattenEvent({
      Event: {
        System: {
          EventID: { '#attributes': { Qualifiers: 16384 }, '#text': 7045 },
          Provider: {
            '#attributes': {
              Name: 'Service Control Manager',
              EventSourceName: 'Service Control Manager',
            },
          },
        },
        EventData: { ServiceName: 'evil', ImagePath: 'C:\\evil.exe' },
      },
    });
    expect(flat.EventID).toBe(7045);
    expect(flat.EventID_Qualifiers).toBe(16384);
    expect(flat.Provider_EventSourceName).toBe('Service Control Manager');
    expect(flat.ServiceName).toBe('evil');
  });

  it('gives every UserData leaf by its element name, at any depth', () => {
    const flat = flattenEvent({
      Event: {
        System: { EventID: 1102, Channel: 'Security' },
        UserData: {
          LogFileCleared: {
            '#attributes': { xmlns: 'http://manifests.microsoft.com/win/2004/08/windows/eventlog' },
            SubjectUserSid: 'S-1-5-21-1',
            SubjectUserName: 'alice',
            Detail: { Inner: { '#attributes': { Kind: 'x' }, '#text': 'deep' } },
          },
        },
      },
    });
    expect(flat).toEqual({
      EventID: 1102,
      Channel: 'Security',
      SubjectUserSid: 'S-1-5-21-1',
      SubjectUserName: 'alice',
      Inner: 'deep',
      Inner_Kind: 'x',
    });
  });

  it('collects unnamed and repeated Data into one array field in document order', () => {
    const flat = flattenEvent({
      Event: {
        System: { EventID: 400, Channel: 'Windows PowerShell' },
        EventData: {
          Data: { '#text': ['Available', 'None', 'HostApplication=powershell -enc'] },
          Binary: null,
        },
      },
    });
    expect(flat.Data).toEqual(['Available', 'None', 'HostApplication=powershell -enc']);
    expect(flat.Binary).toBeNull();

    const single = flattenEvent({ Event: { EventData: { Data: { '#text': 'only' } } } });
    expect(single.Data).toBe('only');

    const repeated = flattenEvent({ Event: { UserData: { R: { Item: ['a', 'b'], Other: 1 } } } });
    expect(repeated.Item).toEqual(['a', 'b']);
    expect(repeated.Other).toBe(1);
  });

  it('survives shapes that are not events', () => {
    expect(flattenEvent({ Event: null } as never)).toEqual({});
    expect(flattenEvent({ Event: { System: 'x', EventData: [1, 2] } })).toEqual({});
    expect(flattenEvent({ Event: { EventData: 'text' } })).toEqual({ EventData: 'text' });
  });
});
