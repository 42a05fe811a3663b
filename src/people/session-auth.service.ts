import { HttpStatus, Injectable } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { AppConfig } from '../../config/app-config';
import { Caller } from '../auth/principal';
import { ProblemException, problemType } from '../core/http/problem';
import { PeopleService } from './people.service';
import { CookiePolicy } from './session-cookie';
import { SessionsService } from './sessions.service';
import { UserSession } from './user-session.entity';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The caller behind a session cookie, with the browser-only checks (origin, CSRF token) a cookie needs. */
@Injectable()
export class SessionAuthService {
  readonly cookies: CookiePolicy;
  private readonly origin: string | null;

  constructor(
    private readonly sessions: SessionsService,
    private readonly people: PeopleService,
    config: AppConfig,
  ) {
    this.cookies = new CookiePolicy(config);
    this.origin = config.PUBLIC_URL ? new URL(config.PUBLIC_URL).origin : null;
  }

  /** Null when there is no live session; a 403 problem when the person has no role or the request is cross-site. */
  async callerFor(request: FastifyRequest): Promise<Caller | null> {
    const id = request.cookies?.[this.cookies.session];
    const session = id ? await this.sessions.resume(id) : null;
    if (!session) return null;
    const user = await this.people.findUser(session.userId);
    if (!user) return null;
    if (!SAFE_METHODS.has(request.method))
      this.assertSameOrigin(request, this.sessions.csrfValid(session, csrfHeader(request)));
    const role = await this.people.roleOf(user);
    if (!role) throw noRole(user.email);
    return {
      subject: user.id,
      ...role,
      session: {
        userId: user.id,
        sessionId: session.id,
        email: user.email,
        name: user.name,
        csrfToken: this.sessions.csrfToken(session),
      },
    };
  }

  /** Ends the browser's session (a change like any other: same origin and CSRF token); null when there was none. */
  async end(request: FastifyRequest): Promise<UserSession | null> {
    const id = request.cookies?.[this.cookies.session];
    const session = id ? await this.sessions.resume(id) : null;
    if (!session || !id) return null;
    this.assertSameOrigin(request, this.sessions.csrfValid(session, csrfHeader(request)));
    return this.sessions.end(id);
  }

  /** A change made with the cookie must come from our own pages: same origin and our CSRF token. */
  private assertSameOrigin(request: FastifyRequest, tokenValid: boolean): void {
    const site = request.headers['sec-fetch-site'];
    const origin = request.headers.origin;
    if (site !== undefined && site !== 'same-origin') throw crossSite('it came from another site (Sec-Fetch-Site)');
    if (origin !== undefined && origin !== this.origin) throw crossSite('it came from another origin (Origin)');
    if (!tokenValid)
      throw crossSite("its X-CSRF-Token header is missing or not this session's (GET /api/v1/me gives it)");
  }
}

const csrfHeader = (request: FastifyRequest): string | undefined => {
  const value = request.headers['x-csrf-token'];
  return Array.isArray(value) ? value[0] : value;
};

const crossSite = (why: string) =>
  new ProblemException({
    type: problemType('csrf'),
    title: 'Forbidden',
    status: HttpStatus.FORBIDDEN,
    detail: `A change authenticated by the session cookie was refused: ${why}`,
  });

const noRole = (email: string) =>
  new ProblemException({
    type: problemType('no-role'),
    title: 'Forbidden',
    status: HttpStatus.FORBIDDEN,
    detail:
      `You are signed in as ${email} but have no role in KUR Handover. Ask a national administrator to ` +
      'grant you one, or, if you lead a coordination association, your association to list this e-mail as its chief in the Finsam registry.',
  });
