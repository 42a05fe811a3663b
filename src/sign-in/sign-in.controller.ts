import { Controller, Get, HttpCode, HttpStatus, Post, Query, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { Public } from '../auth/auth.guard';
import { ProblemException, problemType } from '../core/http/problem';
import { SessionAuthService } from '../people/session-auth.service';
import { OidcService, SignInFailure, safeReturnTo } from './oidc.service';
import { SignInService } from './sign-in.service';

const FLOW_SECONDS = 600;

/** Browser sign-in: /auth/login → the provider → /auth/callback → a session cookie; /auth/logout ends it. */
@ApiExcludeController()
@Public()
@Controller('auth')
export class SignInController {
  constructor(
    private readonly oidc: OidcService,
    private readonly signIn: SignInService,
    private readonly sessions: SessionAuthService,
  ) {}

  @Get('login')
  async login(@Query('returnTo') returnTo: unknown, @Res() reply: FastifyReply) {
    this.assertEnabled();
    const { url, sealed } = await this.oidc.begin(safeReturnTo(returnTo));
    void reply.setCookie(this.sessions.cookies.signIn, sealed, this.sessions.cookies.options(FLOW_SECONDS));
    return reply.redirect(url, HttpStatus.FOUND);
  }

  @Get('callback')
  async callback(@Req() request: FastifyRequest, @Res() reply: FastifyReply) {
    this.assertEnabled();
    const cookies = this.sessions.cookies;
    void reply.clearCookie(cookies.signIn, cookies.options());
    const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
    try {
      const { identity, idToken, returnTo } = await this.oidc.finish(query, request.cookies[cookies.signIn]);
      const sessionId = await this.signIn.signedIn(identity, idToken, request.cookies[cookies.session]);
      void reply.setCookie(cookies.session, sessionId, cookies.options());
      return reply.redirect(returnTo, HttpStatus.SEE_OTHER);
    } catch (error) {
      if (!(error instanceof SignInFailure)) throw error;
      await this.signIn.failed(error.message);
      throw new ProblemException({
        type: problemType('sign-in-failed'),
        title: 'Unauthorized',
        status: HttpStatus.UNAUTHORIZED,
        detail: `Sign-in failed: ${error.message}`,
      });
    }
  }

  /** Ends the session here and answers where to end it at the provider (RP-initiated logout), if it can. */
  @Post('logout')
  @HttpCode(HttpStatus.OK)
  async logout(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply) {
    const ended = await this.sessions.end(request);
    void reply.clearCookie(this.sessions.cookies.session, this.sessions.cookies.options());
    if (!ended) return { signedOut: false, endSessionUrl: null };
    await this.signIn.signedOut(ended.userId);
    return { signedOut: true, endSessionUrl: this.oidc.enabled ? await this.oidc.endSessionUrl(ended.idToken) : null };
  }

  private assertEnabled(): void {
    if (this.oidc.enabled) return;
    throw new ProblemException({
      type: problemType('not-found'),
      title: 'Not Found',
      status: HttpStatus.NOT_FOUND,
      detail: 'Browser sign-in is not configured here (OIDC_ISSUER_URL); use a bearer token',
    });
  }
}
