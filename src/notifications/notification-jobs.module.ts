import { Module } from '@nestjs/common';
import { HandoversModule } from '../handovers/handovers.module';
import { NotificationJobs } from './notification-jobs';
import { NotificationsModule } from './notifications.module';

@Module({ imports: [NotificationsModule, HandoversModule], providers: [NotificationJobs] })
export class NotificationJobsModule {}
