import { Module } from '@nestjs/common';
import { ResolutionJobs } from './resolution-jobs';
import { ResolutionsModule } from './resolutions.module';

@Module({ imports: [ResolutionsModule], providers: [ResolutionJobs] })
export class ResolutionJobsModule {}
