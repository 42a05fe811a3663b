import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { ActivitiesModule } from './activities/activities.module';
import { AreasModule } from './areas/areas.module';
import { AssociationsModule } from './associations/associations.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { CoreModule } from './core/core.module';
import { HealthModule } from './health/health.module';
import { MetricsModule } from './metrics/metrics.module';
import { MunicipalitiesModule } from './municipalities/municipalities.module';
import { PlansModule } from './plans/plans.module';
import { HandoversModule } from './handovers/handovers.module';
import { QueueModule } from './queue/queue.module';
import { ReadinessModule } from './readiness/readiness.module';
import { ReportsModule } from './reports/reports.module';
import { FollowUpsModule } from './follow-ups/follow-ups.module';
import { ResolutionsModule } from './resolutions/resolutions.module';
import { SignInModule } from './sign-in/sign-in.module';
import { SyncModule } from './sync/sync.module';
import { WORKER_FEATURES } from './worker.module';

/** The HTTP API process: every feature's controllers; with `worker`, the jobs too (demo, tests). */
@Module({})
export class ApiModule {
  static forRoot(config: AppConfig, options: { worker?: boolean } = {}): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        CoreModule.forRoot(config),
        AuthModule,
        AuditModule,
        QueueModule,
        HandoversModule,
        ResolutionsModule,
        SyncModule,
        HealthModule,
        MetricsModule,
        MunicipalitiesModule,
        AssociationsModule,
        AreasModule,
        ActivitiesModule,
        PlansModule,
        ReadinessModule,
        ReportsModule,
        FollowUpsModule,
        SignInModule,
        ...(options.worker ? WORKER_FEATURES : []),
      ],
    };
  }
}
