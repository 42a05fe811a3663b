import { api, data } from '../../api/client';
import type { components } from '../../api/generated';

export type Association = components['schemas']['AssociationView'];
export type AssociationChange = components['schemas']['UpdateAssociationDto'];

/** An association as read, with the ETag a change must send back as If-Match. */
export interface Versioned {
  association: Association;
  etag: string;
}

export async function readAssociation(id: string): Promise<Versioned> {
  const { data: association, response } = await api.GET('/api/v1/associations/{id}', { params: { path: { id } } });
  return { association: association as Association, etag: response.headers.get('etag') ?? '' };
}

/** A change on top of what was read; someone else's change in between is a 412 the page explains. */
export async function changeAssociation(read: Versioned, change: AssociationChange): Promise<Versioned> {
  const { data: association, response } = await api.PATCH('/api/v1/associations/{id}', {
    params: { path: { id: read.association.id }, header: { 'If-Match': read.etag } },
    body: change,
  });
  return { association: association as Association, etag: response.headers.get('etag') ?? '' };
}

export const membershipsPage = (id: string, cursor: string | undefined) =>
  data(api.GET('/api/v1/associations/{id}/memberships', { params: { path: { id }, query: { limit: 25, cursor } } }));
