import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiTags } from '@nestjs/swagger';
import { CurrentCaller } from '../auth/auth.guard';
import { Caller } from '../auth/principal';

/** Who I am: role and scope, and for a browser session the CSRF token its changes must carry. */
@ApiTags('sign-in')
@ApiBearerAuth()
@ApiCookieAuth()
@Controller('me')
export class MeController {
  @Get()
  me(@CurrentCaller() caller: Caller) {
    return {
      subject: caller.subject,
      role: caller.role,
      associationId: caller.associationId,
      areaIds: caller.areaIds,
      user: caller.session
        ? { id: caller.session.userId, email: caller.session.email, name: caller.session.name }
        : null,
      csrfToken: caller.session?.csrfToken ?? null,
    };
  }
}
