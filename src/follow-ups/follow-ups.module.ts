import { Module } from '@nestjs/common';
import { PlansModule } from '../plans/plans.module';
import { FollowUpSweep } from './follow-up-sweep';
import { FollowUpsController } from './follow-ups.controller';
import { FollowUpsService } from './follow-ups.service';

/** After acceptance: the rounds an association owes on each handed-over plan, and their reports. */
@Module({
  imports: [PlansModule],
  controllers: [FollowUpsController],
  providers: [FollowUpsService, FollowUpSweep],
  exports: [FollowUpsService, FollowUpSweep],
})
export class FollowUpsModule {}
