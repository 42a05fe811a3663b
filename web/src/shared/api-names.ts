import { api, data } from '../api/client';
import { formatDate } from './format';
import { nameOf } from './names';

/**
 * Names for the ids and actor strings the API answers with, read from the API once per page load
 * (cached), so pages show people, areas and associations by name. A name that cannot be read
 * (gone, or not allowed) falls back to a plain description, never to the id.
 */
const cache = new Map<string, Promise<string>>();

function cached(key: string, read: () => Promise<string>, fallback: string): Promise<string> {
  let name = cache.get(key);
  if (!name) {
    name = read().catch(() => fallback);
    cache.set(key, name);
  }
  return name;
}

/** The service's own jobs, as `system:<job>` names them. */
const JOBS: Record<string, string> = {
  delivery: 'leveransen',
  routing: 'fördelningen av överlämningar',
  'registry-sync': 'synkroniseringen av förbundsregistret',
  membership: 'förbundsregistrets medlemskap',
  'kur2-loader': 'inläsningen av KUR 2',
  cli: 'kommandoraden',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const userName = (id: string): Promise<string> =>
  cached(
    `user:${id}`,
    async () => {
      const user = await data(api.GET('/api/v1/users/{id}', { params: { path: { id } } }));
      return user.name ? `${user.name} (${user.email})` : user.email;
    },
    'Okänd person',
  );

export const areaName = (id: string): Promise<string> =>
  cached(
    `area:${id}`,
    async () => (await data(api.GET('/api/v1/areas/{id}', { params: { path: { id } } }))).name,
    'Okänt område',
  );

export const associationName = (id: string): Promise<string> =>
  cached(
    `association:${id}`,
    async () => (await data(api.GET('/api/v1/associations/{id}', { params: { path: { id } } }))).name,
    'Okänt samordningsförbund',
  );

export const municipalityName = (code: string): Promise<string> =>
  cached(
    `municipality:${code}`,
    async () => (await data(api.GET('/api/v1/municipalities/{code}', { params: { path: { code } } }))).name,
    'Okänd kommun',
  );

/**
 * Who did something, from the audit actor `role:subject`: a person signed in to the app is a user
 * id; jobs are `system:<job>`; machine clients keep their token's subject, which is a name already.
 */
export function actorName(actor: string): Promise<string> {
  const at = actor.indexOf(':');
  const [role, subject] = at < 0 ? ['', actor] : [actor.slice(0, at), actor.slice(at + 1)];
  if (role === 'system') return Promise.resolve(`Tjänsten (${JOBS[subject] ?? subject})`);
  if (actor === 'anonymous') return Promise.resolve('Någon som inte var inloggad');
  const who = UUID.test(subject) ? userName(subject) : Promise.resolve(subject);
  // `user:<id>` (sign-in events) names the person only; the other prefixes are the role they acted in.
  const roleText = role && role !== 'user' ? nameOf('role', role.toUpperCase()) : '';
  return who.then((name) => (roleText ? `${name}, ${roleText}` : name));
}

/** What an audit event is about, in words: "Överlämning: Södermalm med partner till …". */
export function subjectName(type: string, id: string): Promise<string> {
  const kind = nameOf('auditSubject', type);
  const named = (read: () => Promise<string>) =>
    cached(`${type}:${id}`, async () => `${kind}: ${await read()}`, kind);
  switch (type) {
    case 'handover':
      return named(async () => {
        const handover = await data(api.GET('/api/v1/handovers/{id}', { params: { path: { id } } }));
        const area = handover.package?.area.name ?? (await areaName(handover.areaId));
        const recipient = handover.package?.recipient.name;
        return recipient ? `${area} till ${recipient}` : area;
      });
    case 'resolution_case':
      return named(async () => {
        const found = await data(api.GET('/api/v1/resolution-cases/{id}', { params: { path: { id } } }));
        return municipalityName(found.municipalityCode);
      });
    case 'association':
      return named(() => associationName(id));
    case 'area':
      return named(() => areaName(id));
    case 'user':
      return named(() => userName(id));
    case 'activity':
      return named(async () => (await data(api.GET('/api/v1/activities/{id}', { params: { path: { id } } }))).title);
    case 'sync_run':
      return named(async () => {
        const run = await data(api.GET('/api/v1/sync-runs/{id}', { params: { path: { id } } }));
        return `${nameOf('syncKind', run.kind)} ${formatDate(run.createdAt)}`;
      });
    default:
      return Promise.resolve(kind);
  }
}
