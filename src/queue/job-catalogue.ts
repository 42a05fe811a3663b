/**
 * The closed catalogue of queues and jobs. Every job has a typed payload and a deterministic id,
 * so enqueueing the same work twice is harmless.
 */
export enum QueueName {
  ROUTING = 'routing',
  DELIVERY = 'delivery',
  SYNC = 'sync',
}

export enum JobName {
  ROUTE_AREA = 'route-area',
  ROUTE_HANDOVER = 'route-handover',
  RESOLVE_JOINED = 'resolve-joined',
  DELIVER_HANDOVER = 'deliver-handover',
  RUN_SYNC = 'run-sync',
  ANNOUNCE_FOLLOW_UP = 'announce-follow-up',
  ANNOUNCE_HANDOVER_BY_MAIL = 'announce-handover-by-mail',
}

export interface JobPayloads {
  /** Build the handovers of an area's revision. */
  [JobName.ROUTE_AREA]: { areaId: string; revision: number };
  /** A resolved handover: freeze its package and send it on. */
  [JobName.ROUTE_HANDOVER]: { handoverId: string };
  /** A municipality joined an association: its open resolution cases resolve themselves. */
  [JobName.RESOLVE_JOINED]: { membershipId: string; municipalityCode: string; associationId: string };
  [JobName.DELIVER_HANDOVER]: { handoverId: string; round: number };
  /** Carry out a recorded sync run (registry, PRIO or handover sweep). */
  [JobName.RUN_SYNC]: { runId: string };
  /** A follow-up round fell due or became overdue: push and e-mail the association. */
  [JobName.ANNOUNCE_FOLLOW_UP]: { roundId: string; event: 'due' | 'overdue' };
  /** A handover reached an association that has no endpoint: e-mail its chief. */
  [JobName.ANNOUNCE_HANDOVER_BY_MAIL]: { handoverId: string };
}

/** A job by name and payload, for code that handles several kinds together (the sweep). */
export type JobRequest = { [J in JobName]: { name: J; payload: JobPayloads[J] } }[JobName];

export const QUEUE_OF: Record<JobName, QueueName> = {
  [JobName.ROUTE_AREA]: QueueName.ROUTING,
  [JobName.ROUTE_HANDOVER]: QueueName.ROUTING,
  [JobName.RESOLVE_JOINED]: QueueName.ROUTING,
  [JobName.DELIVER_HANDOVER]: QueueName.DELIVERY,
  [JobName.RUN_SYNC]: QueueName.SYNC,
  [JobName.ANNOUNCE_FOLLOW_UP]: QueueName.DELIVERY,
  [JobName.ANNOUNCE_HANDOVER_BY_MAIL]: QueueName.DELIVERY,
};

/** Deterministic job ids: the entity and the job name, so the same work is one job. */
const JOB_ID: { [J in JobName]: (payload: JobPayloads[J]) => string } = {
  [JobName.ROUTE_AREA]: ({ areaId, revision }) => `${areaId}.${revision}`,
  [JobName.ROUTE_HANDOVER]: ({ handoverId }) => handoverId,
  [JobName.RESOLVE_JOINED]: ({ membershipId }) => membershipId,
  [JobName.DELIVER_HANDOVER]: ({ handoverId, round }) => `${handoverId}.${round}`,
  [JobName.RUN_SYNC]: ({ runId }) => runId,
  [JobName.ANNOUNCE_FOLLOW_UP]: ({ roundId, event }) => `${roundId}.${event}`,
  [JobName.ANNOUNCE_HANDOVER_BY_MAIL]: ({ handoverId }) => handoverId,
};

export function jobIdOf<J extends JobName>(name: J, payload: JobPayloads[J]): string {
  return `${name}.${JOB_ID[name](payload)}`;
}

export function requestId(request: JobRequest): string {
  return jobIdOf(request.name, request.payload);
}

/** Bounded retention: keep finished jobs a day, failed ones a week for inspection. */
export const RETENTION = {
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 50_000 },
} as const;
