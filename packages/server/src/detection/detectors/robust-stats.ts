/** Robust statistics the detectors compare against: median, MAD, quartile skew, entropy. */

export function median(sorted: readonly number[]): number {
  const n = sorted.length;
  if (n === 0) return 0;
  const mid = n >> 1;
  return n % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

/** Median absolute deviation around the median. */
export function mad(sorted: readonly number[]): number {
  const m = median(sorted);
  return median(sorted.map((v) => Math.abs(v - m)).sort((a, b) => a - b));
}

/** Bowley's quartile skewness, in [-1, 1]; 0 for a symmetric (or degenerate) spread. */
export function quartileSkew(sorted: readonly number[]): number {
  const q1 = quantile(sorted, 0.25);
  const q2 = quantile(sorted, 0.5);
  const q3 = quantile(sorted, 0.75);
  return q3 - q1 === 0 ? 0 : (q3 + q1 - 2 * q2) / (q3 - q1);
}

export const ascending = (values: readonly number[]): number[] => [...values].sort((a, b) => a - b);

/** Shannon entropy of the characters of `text`, in bits per character. */
export function shannonEntropy(text: string): number {
  if (text.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

export const round = (value: number, digits = 3): number => Number(value.toFixed(digits));
