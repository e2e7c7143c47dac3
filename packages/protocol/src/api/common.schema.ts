/**
 * Shared pieces of the HTTP API's schemas (JSON Schema via TypeBox, so the same definition
 * validates requests on the server and types clients). Objects are closed
 * (`additionalProperties: false`): an unknown field is an error, not silently dropped.
 */
import type { TLiteral, TObject, TProperties, TSchema, TUnion } from '@sinclair/typebox';
import { Type } from '@sinclair/typebox';

export const closed = <P extends TProperties>(
  properties: P,
  options: { $id?: string; description?: string } = {},
): TObject<P> => Type.Object(properties, { additionalProperties: false, ...options });

/** A union of string literals that keeps each literal in its static type. */
export const literals = <const T extends readonly string[]>(
  values: T,
): TUnion<{ -readonly [K in keyof T]: TLiteral<T[K]> }> =>
  Type.Union(values.map((v) => Type.Literal(v))) as unknown as TUnion<{
    -readonly [K in keyof T]: TLiteral<T[K]>;
  }>;

export const Uuid = Type.String({
  pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
  description: 'an id (UUID)',
});

export const Timestamp = Type.String({ format: 'date-time', description: 'RFC 3339 time, UTC' });

export const ErrorCode = literals([
  'invalid_input',
  'unauthenticated',
  'forbidden',
  'not_found',
  'conflict',
  'guard_failed',
  'rate_limited',
  'payload_too_large',
  'integrity_failure',
  'unavailable',
  'internal',
  'unsupported_media_type',
  'method_not_allowed',
]);

export const ErrorResponse = closed({
  error: closed({
    code: ErrorCode,
    message: Type.String(),
    details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  }),
});

export const TenantParams = closed({ tenantId: Uuid });

export const PageQuery = {
  limit: Type.Optional(
    Type.String({ pattern: '^[0-9]{1,4}$', description: 'page size, 1–1000 (default 50)' }),
  ),
  offset: Type.Optional(Type.String({ pattern: '^[0-9]{1,9}$', description: 'items to skip' })),
};

export const pageOf = <T extends TSchema>(item: T): TObject =>
  closed({ total: Type.Integer(), items: Type.Array(item) });

/**
 * Keyset paging for lists that grow with the store (incidents, alerts): `cursor` is the
 * `nextCursor` of the previous page, opaque to clients. A page read by cursor costs the same
 * at the millionth row as at the first, where `offset` reads and drops every row before it.
 */
export const CursorQuery = {
  cursor: Type.Optional(
    Type.String({
      pattern: '^[A-Za-z0-9_-]{1,200}$',
      description: 'nextCursor of the previous page (do not combine with offset)',
    }),
  ),
};

/** The same for lists ordered by name (assets, agents): the cursor carries the last name. */
export const NameCursorQuery = {
  cursor: Type.Optional(
    Type.String({
      pattern: '^[A-Za-z0-9_-]{1,1400}$',
      description: 'nextCursor of the previous page',
    }),
  ),
};

/** A page of a keyset-paged list; `total` is counted up to 10,000, like event search. */
export const keysetPageOf = <T extends TSchema>(item: T): TObject =>
  closed({
    total: Type.Integer({ description: 'matching items, counted up to 10,000' }),
    totalIsLowerBound: Type.Boolean({ description: 'true when more than 10,000 match' }),
    items: Type.Array(item),
    nextCursor: Type.Union([Type.String(), Type.Null()], {
      description: 'pass as cursor for the next page; null on the last page',
    }),
  });

export const Role = literals([
  'platform_admin',
  'incident_lead',
  'responder',
  'analyst',
  'client_viewer',
  'ingest',
]);
