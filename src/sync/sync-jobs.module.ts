import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AssociationsModule } from '../associations/associations.module';
import { HandoversModule } from '../handovers/handovers.module';
import { MunicipalitiesModule } from '../municipalities/municipalities.module';
import { PrioModule } from '../prio/prio.module';
import { FeedClient } from './feed-client';
import { PrioSync } from './prio-sync';
import { RegistrySync } from './registry-sync';
import { SyncRunner } from './sync-runner';
import { SyncScheduler } from './sync-scheduler';
import { SyncModule } from './sync.module';

/** Worker side: the nightly schedules and the syncs themselves. */
@Module({
  imports: [
    ScheduleModule.forRoot(),
    SyncModule,
    AssociationsModule,
    MunicipalitiesModule,
    PrioModule,
    HandoversModule,
  ],
  providers: [FeedClient, RegistrySync, PrioSync, SyncRunner, SyncScheduler],
})
export class SyncJobsModule {}
