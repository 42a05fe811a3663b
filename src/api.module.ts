import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { ActivitiesModule } from './activities/activities.module';
import { AreasModule } from './areas/areas.module';
import { AssociationsModule } from './associations/associations.module';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth/auth.module';
import { CoreModule } from './core/core.module';
import { HealthModule } from './health/health.module';
import { MunicipalitiesModule } from './municipalities/municipalities.module';
import { PlansModule } from './plans/plans.module';

/** The HTTP API process: every feature's controllers, no queue workers. */
@Module({})
export class ApiModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        CoreModule.forRoot(config),
        AuthModule,
        AuditModule,
        HealthModule,
        MunicipalitiesModule,
        AssociationsModule,
        AreasModule,
        ActivitiesModule,
        PlansModule,
      ],
    };
  }
}
