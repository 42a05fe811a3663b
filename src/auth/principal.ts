export enum Role {
  ADMIN = 'ADMIN',
  COORDINATOR = 'COORDINATOR',
  ASSOCIATION_CHIEF = 'ASSOCIATION_CHIEF',
  SERVICE = 'SERVICE',
}

/** Who is calling, from a verified bearer token. */
export interface Caller {
  subject: string;
  role: Role;
  /** COORDINATOR: the areas this caller may see and change. */
  areaIds: string[];
  /** ASSOCIATION_CHIEF: the one association this caller acts for. */
  associationId: string | null;
  /** Set when the caller is a person signed in through the browser (cookie), not a bearer token. */
  session?: { userId: string; sessionId: string; email: string; name: string | null; csrfToken: string };
}

/** How the caller is named in audit events. */
export const actorOf = (caller: Caller): string => `${caller.role.toLowerCase()}:${caller.subject}`;

/** Roles that see every area, activity and plan. */
export const seesAllAreas = (caller: Caller): boolean => caller.role === Role.ADMIN || caller.role === Role.SERVICE;
