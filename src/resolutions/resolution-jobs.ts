import { Injectable, OnModuleInit } from '@nestjs/common';
import { JobName } from '../queue/job-catalogue';
import { JobWorkers } from '../queue/job-workers';
import { ResolutionsService } from './resolutions.service';

/** Worker side: resolves the cases of municipalities that joined an association. */
@Injectable()
export class ResolutionJobs implements OnModuleInit {
  constructor(
    private readonly workers: JobWorkers,
    private readonly resolutions: ResolutionsService,
  ) {}

  onModuleInit(): void {
    this.workers.register(JobName.RESOLVE_JOINED, (payload) => this.resolutions.resolveJoined(payload));
  }
}
