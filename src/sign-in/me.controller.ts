import { Controller, Get } from '@nestjs/common';
import { ApiProperty, ApiTags } from '@nestjs/swagger';
import { CurrentCaller } from '../auth/auth.guard';
import { Endpoint } from '../auth/endpoint';
import { Caller, Role } from '../auth/principal';

class MeUserView {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ format: 'email' })
  email: string;

  @ApiProperty({ type: String, nullable: true })
  name: string | null;
}

export class MeView {
  @ApiProperty()
  subject: string;

  @ApiProperty({ enum: Role })
  role: Role;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  associationId: string | null;

  @ApiProperty({ type: [String] })
  areaIds: string[];

  @ApiProperty({ type: MeUserView, nullable: true, description: 'The signed-in person (browser sessions only)' })
  user: MeUserView | null;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'For a browser session: send it as X-CSRF-Token on changes',
  })
  csrfToken: string | null;
}

/** Who I am: role and scope, and for a browser session the CSRF token its changes must carry. */
@ApiTags('sign-in')
@Controller('me')
export class MeController {
  @Get()
  @Endpoint({
    summary: 'Who I am: role, scope and, for a session, the CSRF token',
    responses: { status: 200, type: MeView },
    errors: [403],
  })
  me(@CurrentCaller() caller: Caller): MeView {
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
