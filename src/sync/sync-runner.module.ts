import { Module } from '@nestjs/common';
import { AssociationsModule } from '../associations/associations.module';
import { FollowUpsModule } from '../follow-ups/follow-ups.module';
import { HandoversModule } from '../handovers/handovers.module';
import { MunicipalitiesModule } from '../municipalities/municipalities.module';
import { PrioModule } from '../prio/prio.module';
import { FeedClient } from './feed-client';
import { PrioSync } from './prio-sync';
import { RegistrySync } from './registry-sync';
import { SyncRunner } from './sync-runner';
import { SyncModule } from './sync.module';

/** The syncs themselves, for the worker and the CLI. */
@Module({
  imports: [SyncModule, AssociationsModule, MunicipalitiesModule, PrioModule, HandoversModule, FollowUpsModule],
  providers: [FeedClient, RegistrySync, PrioSync, SyncRunner],
  exports: [SyncRunner, SyncModule],
})
export class SyncRunnerModule {}
