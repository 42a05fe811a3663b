import DataLoader from 'dataloader';

/** The most calls one statement takes; calls beyond it go in a batch of their own, at the same time. */
const MAX_BATCH = 100;

/**
 * Group commit: calls made while the previous batch is still at the database wait for it, then go
 * together as one batch (`run` sends one statement for all of them). An idle database takes a call
 * at once (after the current tick, which joins it); a busy one gets one statement for many jobs
 * instead of one each, and no call waits longer than the statement before it. Every call gets its
 * own answer or error; when `run` throws, every call of its batch gets that error. A DataLoader
 * without its cache, its batches scheduled on the one in flight. With `gatherMs`, a batch waits
 * that long once the database is free, for calls still on their way.
 */
export function groupCommit<Call, Answer>(
  run: (calls: readonly Call[]) => Promise<(Answer | Error)[]>,
  { gatherMs = 0 }: { gatherMs?: number } = {},
): (call: Call) => Promise<Answer> {
  let inFlight: Promise<unknown> = Promise.resolve();
  const loader = new DataLoader<Call, Answer>(
    (calls) => {
      const batch = run(calls);
      inFlight = batch.catch(() => undefined);
      return batch;
    },
    {
      cache: false,
      maxBatchSize: MAX_BATCH,
      batchScheduleFn: (dispatch) =>
        void inFlight.then(() => (gatherMs ? setTimeout(dispatch, gatherMs) : setImmediate(dispatch))),
    },
  );
  return (call) => loader.load(call);
}

/** What was thrown, as the Error a call of a batch answers with. */
export function asError(thrown: unknown): Error {
  return thrown instanceof Error ? thrown : new Error(String(thrown));
}
