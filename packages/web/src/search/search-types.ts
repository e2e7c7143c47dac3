/** Event search's shapes, derived from @cordon/protocol's schemas (type-only imports). */
import type { Static } from '@sinclair/typebox';
import type {
  EventHistogramResponse,
  EventSearchRequest,
  EventSearchResponse,
  EventTermsResponse,
} from '@cordon/protocol';

export type EventSearch = Static<typeof EventSearchRequest>;
export type EventSearchResult = Static<typeof EventSearchResponse>;
export type EventHistogram = Static<typeof EventHistogramResponse>;
export type EventTerms = Static<typeof EventTermsResponse>;
