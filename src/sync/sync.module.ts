import { Module } from '@nestjs/common';
import { SyncRunsController } from './sync-runs.controller';
import { SyncRunsService } from './sync-runs.service';

/** The record of sync runs and the API to start and follow them. */
@Module({ controllers: [SyncRunsController], providers: [SyncRunsService], exports: [SyncRunsService] })
export class SyncModule {}
