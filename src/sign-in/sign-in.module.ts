import { Module } from '@nestjs/common';
import { MeController } from './me.controller';
import { OidcService } from './oidc.service';
import { SignInController } from './sign-in.controller';
import { SignInService } from './sign-in.service';

/** Browser sign-in with OpenID Connect, and /api/v1/me. */
@Module({
  controllers: [SignInController, MeController],
  providers: [OidcService, SignInService],
})
export class SignInModule {}
