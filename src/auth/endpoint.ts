import { applyDecorators } from '@nestjs/common';
import { ApiEndpoint, EndpointDoc } from '../core/http/api-docs';
import { Public, Roles } from './auth.guard';
import { Role } from './principal';

export type EndpointOptions = Omit<EndpointDoc, 'access' | 'public' | 'restricted'> & {
  /** The roles that may call it; absent: every role. */
  roles?: Role[];
  /** What a scoped caller sees of it (own areas, own association); absent: no scope. */
  scope?: string;
};

/**
 * An API operation: who may call it (enforced by the guard and written in the document from the
 * same list) and its complete OpenAPI description (see core/http/api-docs.ts).
 */
export function Endpoint({ roles, scope, ...doc }: EndpointOptions): MethodDecorator {
  const access = `${roles ? roles.join(', ') : 'any role'}.${scope ? ` ${scope}` : ''}`;
  return applyDecorators(
    ...(roles ? [Roles(...roles)] : []),
    ApiEndpoint({ ...doc, access, restricted: roles !== undefined && roles.length < Object.keys(Role).length }),
  );
}

/** A public operation (health): no token, `security: []`. */
export function PublicEndpoint(doc: Omit<EndpointOptions, 'roles' | 'scope'>): MethodDecorator {
  return applyDecorators(Public(), ApiEndpoint({ ...doc, access: 'anyone, without a token.', public: true }));
}

/** What a scoped caller reaches, as the services enforce it; outside it every answer is 404. */
export const SCOPE = {
  AREAS:
    'Scope: a COORDINATOR reaches the areas in its `areas` claim (with their activities and plans), an ASSOCIATION_CHIEF the areas with a current member municipality of its association; anything else answers 404.',
  ASSOCIATION:
    'Scope: an ASSOCIATION_CHIEF reaches only its own association (`association` claim); any other answers 404.',
  HANDOVERS:
    "Scope: an ASSOCIATION_CHIEF reaches its association's handovers, a COORDINATOR those of its areas; anything else answers 404.",
} as const;

/** Recording an area's work (activities, plans): administrators and the area's coordinators, with a JSON body. */
export const RECORDS_AREA_WORK = {
  roles: [Role.ADMIN, Role.COORDINATOR],
  scope: SCOPE.AREAS,
  body: true,
} satisfies Partial<EndpointOptions>;
