import { Module } from '@nestjs/common';
import { ActivitiesModule } from '../activities/activities.module';
import { AreasModule } from '../areas/areas.module';
import { Kur2ImportService } from './kur2-import.service';

/** `npm run kur2:load`: the KUR 2 areas from data/kur2_areas.json. */
@Module({ imports: [AreasModule, ActivitiesModule], providers: [Kur2ImportService], exports: [Kur2ImportService] })
export class Kur2ImportModule {}
