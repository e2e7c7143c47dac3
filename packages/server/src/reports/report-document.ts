/**
 * A report as a document: a title, facts about what it covers, and sections of blocks (text,
 * label/value facts, tables). The HTML template and the PDF renderer both read this one
 * model, so the two formats cannot say different things. Every string in it is plain text,
 * often attacker-written (incident titles, command lines, notes): renderers escape it.
 */
export type ReportKind = 'full' | 'executive' | 'law_enforcement' | 'monthly';

export const REPORT_KINDS: readonly ReportKind[] = [
  'full',
  'executive',
  'law_enforcement',
  'monthly',
];

export type ReportBlock =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'facts'; readonly rows: readonly (readonly [string, string])[] }
  | {
      readonly kind: 'table';
      readonly columns: readonly string[];
      readonly rows: readonly (readonly string[])[];
    };

export interface ReportSection {
  /** Stable key a template can test for (`summary`, `timeline`, `containment` …). */
  readonly key: string;
  readonly heading: string;
  readonly blocks: readonly ReportBlock[];
}

export interface ReportDocument {
  readonly kind: ReportKind;
  readonly title: string;
  /** e.g. "INC-7 · Acme" or "Acme · 2026-11". */
  readonly reference: string;
  readonly tenantName: string;
  /** Epoch ms. */
  readonly generatedAt: number;
  readonly generatedBy: string;
  /** The tenant journal's signed head when the report was made. */
  readonly journalHead: {
    readonly seq: number;
    readonly hash: string;
    readonly checkpoint: number | null;
  } | null;
  readonly sections: readonly ReportSection[];
}

export const text = (value: string): ReportBlock => ({ kind: 'text', text: value });
export const facts = (rows: readonly (readonly [string, string])[]): ReportBlock => ({
  kind: 'facts',
  rows,
});
export const table = (
  columns: readonly string[],
  rows: readonly (readonly string[])[],
): ReportBlock => ({ kind: 'table', columns, rows });

export const iso = (at: number | null | undefined): string =>
  at == null ? '—' : new Date(at).toISOString().replace('.000Z', 'Z');

/** "2 h 05 min", "45 s", or "—". */
export function duration(ms: number | null | undefined): string {
  if (ms == null) return '—';
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  const m = Math.round(s / 60);
  if (m < 120) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h ${String(m % 60).padStart(2, '0')} min`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}
