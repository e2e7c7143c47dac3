/**
 * Sigma's Windows field naming (rules spec, "Field Usage" 2): a field whose name contains
 * spaces in the log (Defender's `Source Name`, `Threat Name`) is written without them in rules
 * (`SourceName`). Readers call this once per event to add the space-free names beside the
 * originals; it returns the event itself when no name has a space.
 */
import type { SigmaEvent } from './match-context.ts';

export function withSigmaFieldNames(event: SigmaEvent): SigmaEvent {
  let out: Record<string, unknown> | undefined;
  for (const key in event) {
    if (!key.includes(' ')) continue;
    const stripped = key.replace(/ /g, '');
    if (Object.hasOwn(event, stripped)) continue;
    out ??= { ...event };
    out[stripped] = event[key];
  }
  return out ?? event;
}
