import { JobsOptions } from 'bullmq';
import { AppConfig } from '../../config/app-config';
import { JobName } from './job-catalogue';

/** Retries per job: deliveries follow the delivery schedule (see delivery-backoff.ts), the rest back off exponentially. */
export function jobOptions(name: JobName, config: AppConfig): JobsOptions {
  // Announcements retry on the delivery schedule too, but count their attempts in the database.
  if (name === JobName.ANNOUNCE_FOLLOW_UP || name === JobName.ANNOUNCE_HANDOVER_BY_MAIL) {
    return { attempts: config.deliverySchedule.length + 3, backoff: { type: 'custom' } };
  }
  if (name === JobName.DELIVER_HANDOVER) {
    return { attempts: config.deliverySchedule.length, backoff: { type: 'delivery-schedule' } };
  }
  // A sync run retries its own pages; the job is retried only when a worker died under it.
  if (name === JobName.RUN_SYNC) return { attempts: 3, backoff: { type: 'exponential', delay: 5000 } };
  return { attempts: 8, backoff: { type: 'exponential', delay: 1000 } };
}
