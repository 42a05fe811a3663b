import { Global, Module } from '@nestjs/common';
import { JobWorkers } from './job-workers';

@Global()
@Module({ providers: [JobWorkers], exports: [JobWorkers] })
export class JobWorkersModule {}
