/** The closing review of an incident (one per incident), bound to one tenant. */
import type { ClosingReview, ClosingReviewRepository } from '@cordon/core';
import { TenantBound, fromJson, toJson } from '../preparation/tenant-bound.ts';

export class KyselyClosingReviewRepository extends TenantBound implements ClosingReviewRepository {
  async get(incidentId: string): Promise<ClosingReview | undefined> {
    const r = await this.db
      .selectFrom('closing_reviews')
      .selectAll()
      .where('tenant_id', '=', this.tenantId)
      .where('incident_id', '=', incidentId)
      .executeTakeFirst();
    return (
      r && {
        tenantId: r.tenant_id,
        incidentId: r.incident_id,
        whatHappened: r.what_happened,
        whatWorked: r.what_worked,
        whatToChange: r.what_to_change,
        followUps: fromJson<ClosingReview['followUps']>(r.follow_ups),
        author: r.author,
        createdAt: Number(r.created_at),
        updatedAt: Number(r.updated_at),
      }
    );
  }
  async put(review: ClosingReview): Promise<void> {
    const values = {
      what_happened: review.whatHappened,
      what_worked: review.whatWorked,
      what_to_change: review.whatToChange,
      follow_ups: toJson(review.followUps),
      author: review.author,
      updated_at: review.updatedAt,
    };
    await this.db
      .insertInto('closing_reviews')
      .values({
        tenant_id: this.tenantId,
        incident_id: review.incidentId,
        created_at: review.createdAt,
        ...values,
      })
      .onConflict((oc) => oc.columns(['tenant_id', 'incident_id']).doUpdateSet(values))
      .execute();
  }
}
