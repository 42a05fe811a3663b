import { Module } from '@nestjs/common';
import { PrioService } from './prio.service';

/** The municipalities' PRIO inventories, as the nightly PRIO sync keeps them. */
@Module({ providers: [PrioService], exports: [PrioService] })
export class PrioModule {}
