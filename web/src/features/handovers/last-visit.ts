/**
 * When the person last opened the inbox, kept in this browser only (UI state, not a business
 * record): handovers delivered after it are marked "Ny". Within one browser tab the moment stays
 * put, so going back from a handover to the inbox keeps the marks.
 */
const visitKey = (who: string): string => `kur-handover:inbox-last-visit:${who}`;
const tabKey = (who: string): string => `kur-handover:inbox-new-since:${who}`;

function read(storage: Storage, key: string): Date | null {
  const stored = storage.getItem(key);
  const at = stored ? new Date(stored) : null;
  return at && !Number.isNaN(at.getTime()) ? at : null;
}

/** The moment "new" counts from (null: the first visit, everything delivered is new); records this visit. */
export function newSince(who: string, now: Date = new Date()): Date | null {
  try {
    const inTab = window.sessionStorage.getItem(tabKey(who));
    if (inTab !== null) return inTab === '' ? null : read(window.sessionStorage, tabKey(who));
    const previous = read(window.localStorage, visitKey(who));
    window.sessionStorage.setItem(tabKey(who), previous ? previous.toISOString() : '');
    window.localStorage.setItem(visitKey(who), now.toISOString());
    return previous;
  } catch {
    return null; // storage disabled: everything delivered counts as new
  }
}

/** Delivered after `since` (or ever, when there was no earlier visit). */
export const isNew = (deliveredAt: string | null | undefined, since: Date | null): boolean =>
  Boolean(deliveredAt) && (since === null || new Date(deliveredAt as string) > since);
