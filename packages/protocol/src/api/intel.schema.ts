/**
 * Threat-intel exchange: watchlists (imports of STIX 2.1 bundles and plain IOC lists, per
 * tenant or platform-wide) and an incident's export as STIX 2.1 or a MISP event.
 */
import { Type } from '@sinclair/typebox';
import { Timestamp, Uuid, closed, literals } from './common.schema.ts';
import { AlertLevel } from './detection.schema.ts';

export const WatchlistFormat = literals(['stix', 'iocs']);
export const IndicatorKind = literals(['ip', 'domain', 'url', 'md5', 'sha1', 'sha256']);

export const WatchlistImportRequest = closed({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  source: Type.String({ minLength: 1, maxLength: 500 }),
  description: Type.Optional(Type.String({ maxLength: 4000 })),
  /** `stix`: a STIX 2.1 bundle (JSON text); `iocs`: one indicator a line. */
  format: WatchlistFormat,
  /** The bundle or list as text; its size is checked by the server (413 beyond the bound). */
  content: Type.String(),
  /** The level of the alerts its matches raise (default high). */
  level: Type.Optional(AlertLevel),
  expiresAt: Type.Optional(Type.Union([Timestamp, Type.Null()])),
});

export const WatchlistView = closed({
  id: Uuid,
  scope: literals(['tenant', 'platform']),
  name: Type.String(),
  source: Type.String(),
  description: Type.Union([Type.String(), Type.Null()]),
  format: WatchlistFormat,
  level: AlertLevel,
  indicatorCount: Type.Integer(),
  contentSha256: Type.String(),
  createdBy: Type.String(),
  createdAt: Timestamp,
  expiresAt: Type.Union([Timestamp, Type.Null()]),
  /** False once it has expired: it no longer matches. */
  active: Type.Boolean(),
});

export const RejectedIndicatorView = closed({
  where: Type.String(),
  value: Type.String(),
  reason: Type.String(),
});

export const WatchlistImportView = closed({
  watchlist: WatchlistView,
  /** The first 100 entries that could not be used, with why. */
  rejected: Type.Array(RejectedIndicatorView),
  rejectedCount: Type.Integer(),
});

export const WatchlistIndicatorView = closed({
  kind: IndicatorKind,
  value: Type.String(),
  validUntil: Type.Union([Timestamp, Type.Null()]),
  /** The STIX indicator it came from, when it came from one. */
  reference: Type.Union([Type.String(), Type.Null()]),
});

export const ExpireWatchlistQuery = closed({
  /** When it stops matching (default now). */
  at: Type.Optional(Timestamp),
});

export const IntelExportQuery = closed({ format: Type.Optional(literals(['stix', 'misp'])) });
