import { reactive } from 'vue';
import { api, data, useCsrfToken } from '../api/client';
import type { components } from '../api/generated';

export type Me = components['schemas']['MeView'];
export type Role = Me['role'];

/** The signed-in person, loaded once from GET /me; the server decides role and scope on every request. */
export const session = reactive<{ me: Me | null }>({ me: null });

export async function loadSession(): Promise<Me> {
  const me = await data(api.GET('/api/v1/me'));
  useCsrfToken(me.csrfToken);
  session.me = me;
  return me;
}

/** Ends the session here and, when the provider supports it, there too. */
export async function signOut(): Promise<void> {
  const answer = await fetch('/auth/logout', {
    method: 'POST',
    headers: { 'X-CSRF-Token': session.me?.csrfToken ?? '' },
    credentials: 'same-origin',
  });
  const body = answer.ok ? ((await answer.json()) as { endSessionUrl?: string | null }) : {};
  window.location.assign(body.endSessionUrl ?? '/');
}
