import { api, data } from '../../api/client';
import type { components } from '../../api/generated';

export type User = components['schemas']['UserView'];
export type Grant = components['schemas']['GrantView'];
export type GrantedRole = Grant['role'];
export type Area = components['schemas']['AreaView'];
export type KurRegion = Area['kurRegion'];

export const REGIONS: KurRegion[] = ['NORD', 'SYD', 'VAST', 'MITT', 'STOCKHOLM'];

export const listGrants = async (userId: string): Promise<Grant[]> =>
  (await data(api.GET('/api/v1/users/{id}/grants', { params: { path: { id: userId } } }))).items;

export const addGrant = (userId: string, role: GrantedRole, areaId: string | null): Promise<Grant> =>
  data(
    api.POST('/api/v1/users/{id}/grants', {
      params: { path: { id: userId } },
      body: role === 'COORDINATOR' && areaId ? { role, areaId } : { role },
    }),
  );

export const revokeGrant = (userId: string, grantId: string): Promise<unknown> =>
  data(api.DELETE('/api/v1/users/{id}/grants/{grantId}', { params: { path: { id: userId, grantId } } }));

/** The areas of one KUR region, by name: few enough (a region had at most nine) for one list to choose from. */
export async function areasOf(region: KurRegion): Promise<Area[]> {
  const page = await data(api.GET('/api/v1/areas', { params: { query: { kurRegion: region, limit: 200 } } }));
  return [...page.items].sort((a, b) => a.name.localeCompare(b.name, 'sv') || a.kurPhase.localeCompare(b.kurPhase));
}

export const phaseName = (phase: Area['kurPhase']): string => (phase === 'KUR1' ? 'KUR 1' : 'KUR 2');
