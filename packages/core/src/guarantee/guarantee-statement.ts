/**
 * A statement: the ledger lines of one incident or of one calendar month (UTC), each with what
 * it cost, what the guarantee covers and what is billable, and why, with the totals.
 */
import type { IncidentLedger, LedgerLine, Totals } from './guarantee-ledger.ts';
import { ledgerTotals } from './guarantee-ledger.ts';

export type StatementScope =
  | { readonly kind: 'incident'; readonly incidentId: string }
  | { readonly kind: 'month'; readonly month: string; readonly from: number; readonly to: number };

export interface GuaranteeStatement {
  readonly tenantId: string;
  readonly scope: StatementScope;
  readonly currency: string | null;
  readonly incidents: readonly Omit<IncidentLedger, 'lines'>[];
  readonly lines: readonly LedgerLine[];
  readonly totals: Totals;
}

/** [from, to) of a `YYYY-MM` month in UTC, or undefined when it is not one. */
export function monthBounds(month: string): { from: number; to: number } | undefined {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (!match) return undefined;
  const year = Number(match[1]);
  const m = Number(match[2]);
  if (m < 1 || m > 12 || year < 1970 || year > 9999) return undefined;
  return { from: Date.UTC(year, m - 1, 1), to: Date.UTC(year, m, 1) };
}

export function buildStatement(input: {
  readonly tenantId: string;
  readonly scope: StatementScope;
  readonly currency: string | null;
  readonly ledgers: readonly IncidentLedger[];
  readonly include: (line: LedgerLine) => boolean;
}): GuaranteeStatement {
  const lines = input.ledgers
    .flatMap((l) => l.lines)
    .filter(input.include)
    .sort(
      (a, b) => a.entry.occurredAt - b.entry.occurredAt || a.entry.recordedAt - b.entry.recordedAt,
    );
  const touched = new Set(lines.map((l) => l.entry.incidentId));
  return {
    tenantId: input.tenantId,
    scope: input.scope,
    currency: input.currency,
    incidents: input.ledgers
      .filter((l) => input.scope.kind === 'incident' || touched.has(l.incidentId))
      .map(({ lines: _lines, ...rest }) => rest),
    lines,
    totals: ledgerTotals(lines),
  };
}
