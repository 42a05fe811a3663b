import createClient from 'openapi-fetch';
import type { components, paths } from './generated/api';

/*
 * What an integrator writes against the client generated from the committed openapi.json
 * (`npm run openapi:client`, part of `npm run typecheck`): an API change that breaks it fails the
 * type check. test/contract/client.spec.ts also runs it against the real API.
 */

export type KurClient = ReturnType<typeof createClient<paths>>;
type Schemas = components['schemas'];

export function kurClient(baseUrl: string, token: string): KurClient {
  return createClient<paths>({ baseUrl, headers: { authorization: `Bearer ${token}` } });
}

export interface Review {
  areas: Schemas['AreaView'][];
  handover: Schemas['HandoverDetailView'];
  decided: Schemas['HandoverView'];
}

/** An association chief's round: the areas it sees, one handover with its package, and its decision. */
export async function reviewHandover(client: KurClient, handoverId: string): Promise<Review> {
  const areas = await client.GET('/api/v1/areas', { params: { query: { limit: 50 } } });
  if (!areas.data) throw new Error(`listing areas: ${areas.error.detail}`);
  const handover = await client.GET('/api/v1/handovers/{id}', { params: { path: { id: handoverId } } });
  if (!handover.data) throw new Error(`reading handover ${handoverId}: ${handover.error.detail}`);
  const municipalities = handover.data.package?.municipalities.map((municipality) => municipality.name) ?? [];
  const decided = await client.POST('/api/v1/handovers/{id}/decision', {
    params: { path: { id: handoverId } },
    body: { decision: 'ACCEPTED', reason: `Vi tar över arbetet i ${municipalities.join(', ')}` },
  });
  if (!decided.data) throw new Error(`deciding: ${decided.error.status} ${decided.error.detail}`);
  return { areas: areas.data.items, handover: handover.data, decided: decided.data };
}
