import { describe, expect, it } from 'vitest';
import { flattenEvent } from '../src/index.ts';
import { listFiles, readJsonDocuments, requireData } from './regression-json.ts';

const regression = requireData('sigmahq/regression_data');

describe.skipIf(!regression)('flattenEvent over SigmaHQ regression events', () => {
  const files = regression ? listFiles(regression, '.json') : [];

  it('finds the regression events', () => {
    expect(files.length).toBeGreaterThan(50);
  });

  it('gives the System fields rules use and every EventData field by name', () => {
    let events = 0;
    for (const file of files) {
      for (const document of readJsonDocuments(file)) {
        events++;
        const flat = flattenEvent(document);
        const system = document.Event.System as Record<string, unknown>;
        const provider = (system.Provider as { '#attributes': { Name: string } })['#attributes'];
        expect(typeof flat.EventID, file).toBe('number');
        expect(flat.Channel, file).toBe(system.Channel);
        expect(flat.Computer, file).toBe(system.Computer);
        expect(flat.Provider_Name, file).toBe(provider.Name);
        const eventData = document.Event.EventData as Record<string, unknown> | undefined;
        for (const [name, value] of Object.entries(eventData ?? {})) {
          expect(flat[name], `${file} ${name}`).toEqual(value);
        }
      }
    }
    expect(events).toBeGreaterThan(files.length);
  });
});
