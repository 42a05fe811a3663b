import { Module } from '@nestjs/common';
import { AreasModule } from '../areas/areas.module';
import { AssociationsModule } from '../associations/associations.module';
import { FollowUpsModule } from '../follow-ups/follow-ups.module';
import { Mailer } from './mailer';
import { NotificationsService } from './notifications.service';

/** Announcements to associations by signed push and e-mail, each recorded with its outcome. */
@Module({
  imports: [FollowUpsModule, AssociationsModule, AreasModule],
  providers: [NotificationsService, Mailer],
  exports: [NotificationsService],
})
export class NotificationsModule {}
