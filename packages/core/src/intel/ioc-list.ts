/**
 * Plain IOC lists: one indicator a line (addresses, CIDR networks, domains, URLs, MD5 / SHA-1 /
 * SHA-256 hashes), `#` or `//` comments, and anything after the first space, tab or comma
 * ignored (lists often carry a note there). Defanged forms (`hxxp://`, `evil[.]com`) are
 * re-armed. A line that is not an indicator is reported with its number, not silently dropped;
 * a line longer than any indicator can be refuses the whole list, since it is not one.
 */
import { CordonError } from '../errors/cordon-error.ts';
import type { IndicatorValue } from './indicator.ts';
import { MAX_INDICATOR_LENGTH, inferIndicator } from './indicator.ts';
import type { IndicatorImport, RejectedIndicator } from './indicator-import.ts';
import { MAX_REPORTED_REJECTIONS, indicatorLimitError } from './indicator-import.ts';

/** A line may hold an indicator and a short note; longer lines are refused. */
export const MAX_IOC_LINE_LENGTH = MAX_INDICATOR_LENGTH + 2048;

export function parseIocList(text: string, maxIndicators: number): IndicatorImport {
  const indicators = new Map<string, IndicatorValue>();
  const rejected: RejectedIndicator[] = [];
  let rejectedCount = 0;
  let lineNumber = 0;
  for (const rawLine of text.split(/\r?\n/)) {
    lineNumber++;
    if (rawLine.length > MAX_IOC_LINE_LENGTH) {
      throw new CordonError(
        'invalid_input',
        `line ${lineNumber} is ${rawLine.length} characters long; an IOC line may have at most ${MAX_IOC_LINE_LENGTH}`,
        { details: { line: lineNumber, length: rawLine.length, max: MAX_IOC_LINE_LENGTH } },
      );
    }
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('//')) continue;
    const token = refang(line.split(/[\s,;]/, 1)[0]!);
    const indicator = inferIndicator(token);
    if (!indicator) {
      rejectedCount++;
      if (rejected.length < MAX_REPORTED_REJECTIONS)
        rejected.push({
          where: `line ${lineNumber}`,
          value: token.slice(0, 200),
          reason: 'not an address, network, domain, URL or hash',
        });
      continue;
    }
    indicators.set(`${indicator.kind}\u0000${indicator.value}`, indicator);
    if (indicators.size > maxIndicators) throw indicatorLimitError(maxIndicators);
  }
  return {
    indicators: [...indicators.values()].map((value) => ({
      ...value,
      validUntil: null,
      reference: null,
    })),
    rejected,
    rejectedCount,
  };
}

/** Undoes the usual defanging of shared IOCs. */
export function refang(text: string): string {
  return text
    .replace(/^hxxp(s?):\/\//i, 'http$1://')
    .replace(/^fxp:\/\//i, 'ftp://')
    .replaceAll(/\[\.\]|\(\.\)|\{\.\}|\[dot\]/gi, '.')
    .replaceAll('[:]', ':')
    .replaceAll('[://]', '://');
}
