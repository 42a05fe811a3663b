import { Module } from '@nestjs/common';
import { AreasModule } from '../areas/areas.module';
import { AssociationsModule } from '../associations/associations.module';
import { PeopleService } from './people.service';
import { SessionAuthService } from './session-auth.service';
import { SessionsService } from './sessions.service';
import { UsersController } from './users.controller';

/** People who sign in in a browser, the roles granted to them, and their sessions. */
@Module({
  imports: [AssociationsModule, AreasModule],
  controllers: [UsersController],
  providers: [PeopleService, SessionsService, SessionAuthService],
  exports: [PeopleService, SessionsService, SessionAuthService],
})
export class PeopleModule {}
