import {
  CanActivate,
  ExecutionContext,
  HttpStatus,
  Injectable,
  SetMetadata,
  createParamDecorator,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { FastifyRequest } from 'fastify';
import { ProblemException, problemType } from '../core/http/problem';
import { Caller, Role } from './principal';
import { SessionAuthService } from '../people/session-auth.service';
import { TokenService } from './token.service';

const PUBLIC = 'auth:public';
const ROLES = 'auth:roles';

/** Health, docs and sign-in only: everything else needs a bearer token or a session cookie. */
export const Public = () => SetMetadata(PUBLIC, true);

/** Which roles may call an endpoint; scope (own areas, own association) is checked in services. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);

export const CurrentCaller = createParamDecorator(
  (_: unknown, context: ExecutionContext): Caller => context.switchToHttp().getRequest<{ caller: Caller }>().caller,
);

@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
    private readonly sessions: SessionAuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC, targets)) return true;
    const request = context.switchToHttp().getRequest<FastifyRequest & { caller?: Caller }>();
    const caller = await callerOf(request, this.tokens, this.sessions);
    if (!caller) throw unauthorised();
    request.caller = caller;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, targets);
    if (roles && !roles.includes(caller.role)) throw forbidden(caller.role);
    return true;
  }
}

/** A bearer token when one is sent (machine clients), else the browser's session cookie. */
export async function callerOf(
  request: FastifyRequest,
  tokens: TokenService,
  sessions: SessionAuthService,
): Promise<Caller | null> {
  if (request.headers.authorization !== undefined) return tokens.verifyHeader(request.headers.authorization);
  return sessions.callerFor(request);
}

export const unauthorised = () =>
  new ProblemException({
    type: problemType('unauthorised'),
    title: 'Unauthorized',
    status: HttpStatus.UNAUTHORIZED,
    detail: 'A valid bearer token or session cookie is required',
  });

export const forbidden = (role: Role) =>
  new ProblemException({
    type: problemType('forbidden'),
    title: 'Forbidden',
    status: HttpStatus.FORBIDDEN,
    detail: `The ${role} role may not call this endpoint`,
  });
