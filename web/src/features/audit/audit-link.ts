import type { RouteLocationRaw } from 'vue-router';

/**
 * The audit trail of one thing, for links from other pages: `type` is the API's entity type
 * (handover, resolution_case, association, area, user, …), `id` its id.
 */
export const auditRoute = (type: string, id: string): RouteLocationRaw => ({
  name: 'audit',
  query: { typ: type, id },
});
