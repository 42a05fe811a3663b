import { Module } from '@nestjs/common';
import { ActivitiesModule } from '../activities/activities.module';
import { AreasModule } from '../areas/areas.module';
import { AssociationsModule } from '../associations/associations.module';
import { FollowUpsModule } from '../follow-ups/follow-ups.module';
import { HandoversModule } from '../handovers/handovers.module';
import { MunicipalitiesModule } from '../municipalities/municipalities.module';
import { PrioModule } from '../prio/prio.module';
import { ReadinessModule } from '../readiness/readiness.module';
import { ResolutionsModule } from '../resolutions/resolutions.module';
import { NationalReportService } from './national-report.service';
import { ProgrammeBudgetService } from './programme-budget.service';
import { ReportsController } from './reports.controller';

/** The national report (återrapportering) and the programme budget it shows beside the data. */
@Module({
  imports: [
    AreasModule,
    ActivitiesModule,
    HandoversModule,
    ResolutionsModule,
    AssociationsModule,
    MunicipalitiesModule,
    PrioModule,
    ReadinessModule,
    FollowUpsModule,
  ],
  controllers: [ReportsController],
  providers: [NationalReportService, ProgrammeBudgetService],
})
export class ReportsModule {}
