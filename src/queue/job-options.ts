import { JobsOptions } from 'bullmq';
import { JobName } from './job-catalogue';

/**
 * A job's attempts count its errors (a bug, or a database that stayed away through a shutdown),
 * backing off exponentially. Deliveries and announcements count their own attempts in the
 * database; their scheduled retries (RetryLater) wait as delayed jobs and use none of these.
 */
export function jobOptions(name: JobName): JobsOptions {
  // A sync run retries its own pages; the job is retried only when a worker died under it.
  if (name === JobName.RUN_SYNC) return { attempts: 3, backoff: { type: 'exponential', delay: 5000 } };
  return { attempts: 8, backoff: { type: 'exponential', delay: 1000 } };
}
