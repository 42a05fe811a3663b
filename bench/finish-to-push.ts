import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { AssociationReceiver, startAssociationReceiver } from '../test/fakes/association-receiver';
import { TestApp, startTestApp } from '../test/support/test-app';
import { waitFor } from '../test/support/wait';
import {
  ROUNDS,
  SMOKE,
  alternate,
  loadAverage,
  median,
  percentile,
  ok,
  runBench,
  spread,
  withTemplate,
} from './support';

/**
 * bench/finish-to-push: from `POST /areas/{id}/finish` answering to the fake association receiver
 * holding the handover, through the real API, outbox, relay, routing and delivery jobs (API and
 * worker in one process, the production poll interval OUTBOX_POLL_MS=500: NOTIFY must do the
 * waking). The baseline is the bare push: the same receiver getting a signed POST straight from
 * this process. Rounds alternate.
 *   npm run bench:finish-to-push        BENCH_SMOKE=1 for a quick check
 */
const PER_ROUND = SMOKE ? 1 : 15;
const RECEIVER = 'bench';

async function main(): Promise<void> {
  await withTemplate(async () => {
    const api = await startTestApp(
      { OUTBOX_POLL_MS: '500', SWEEP_INTERVAL_MS: '300000', DELIVERY_RETRY_SCHEDULE: '0,5s,5m' },
      { worker: true },
    );
    const receiver = await startAssociationReceiver();
    try {
      const endpoint = receiver.addReceiver(RECEIVER);
      await setEndpoint(api, endpoint);
      console.log(`finish to first push, ${ROUNDS} rounds of ${PER_ROUND}; load average at start ${loadAverage()}`);
      let serial = 0;
      const samples = (measure: () => Promise<number>) => async () => {
        const times: number[] = [];
        for (let index = 0; index < PER_ROUND; index++) times.push(await measure());
        return times;
      };
      const results = await alternate({
        project: samples(() => finishToPush(api, receiver, ++serial)),
        bare: samples(() => barePush(receiver, endpoint)),
      });
      for (const [side, rounds] of Object.entries(results)) {
        const all = rounds.flat();
        console.log(
          `${side.padEnd(8)} p50 ${median(all).toFixed(0)} ms, p90 ${percentile(all, 90).toFixed(0)} ms, max ${Math.max(...all).toFixed(0)} ms; ` +
            `p50 per round ${spread(rounds.map(median))} ms (median (min-max))`,
        );
      }
      const ratio = median(results.project.flat()) / Math.max(1, median(results.bare.flat()));
      console.log(`project p50 / bare p50: ${ratio.toFixed(1)}x; target: project p50 < 150 ms`);
      console.log(`load average at end ${loadAverage()}`);
    } finally {
      await api.close();
      await receiver.close();
    }
  });
}

/** One area finished through the API; the time from the answer to the handover at the receiver. */
async function finishToPush(api: TestApp, receiver: AssociationReceiver, serial: number): Promise<number> {
  const created = await ok(
    api.request('POST', '/api/v1/areas', {
      body: {
        name: `Bänk ${serial} ${randomUUID().slice(0, 8)} med partner`,
        kurRegion: 'STOCKHOLM',
        kurPhase: 'KUR2',
        grantedSek: 100000,
        municipalityCodes: ['0180'],
      },
    }),
  );
  await ok(
    api.request('PATCH', `/api/v1/areas/${created.body.id}`, {
      body: { status: 'GRANTED' },
      headers: { 'if-match': created.headers.get('etag') as string },
    }),
  );
  await ok(api.request('POST', `/api/v1/areas/${created.body.id}/finish`));
  const answered = Date.now();
  const delivery = await waitFor(
    () => receiver.deliveries(RECEIVER).find((item) => item.payload.data.area?.id === created.body.id),
    { what: 'the handover at the receiver', timeoutMs: 30_000, intervalMs: 5 },
  );
  return delivery.receivedAt.getTime() - answered;
}

/** The floor: a signed POST of a small package from here to the same receiver. */
async function barePush(receiver: AssociationReceiver, endpoint: { url: string; secret: string }): Promise<number> {
  const id = randomUUID();
  const started = Date.now();
  const body = JSON.stringify({ type: 'kur.handover.created', timestamp: new Date().toISOString(), data: { id } });
  const at = new Date();
  const signature = new Webhook(endpoint.secret).sign(id, at, body);
  const response = await fetch(endpoint.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
      'webhook-signature': signature,
    },
    body,
  });
  if (!response.ok) throw new Error(`the receiver answered ${response.status}`);
  const delivery = receiver.deliveries(RECEIVER).find((item) => item.webhookId === id);
  if (!delivery) throw new Error('the receiver did not keep the bare push');
  return delivery.receivedAt.getTime() - started;
}

/** The association covering Stockholm (0180) pushes to the bench's receiver. */
async function setEndpoint(api: TestApp, endpoint: { url: string; secret: string }): Promise<void> {
  const associations = await ok(api.request('GET', '/api/v1/associations?municipalityCode=0180'));
  const path = `/api/v1/associations/${associations.body.items[0].id}`;
  const current = await ok(api.request('GET', path));
  await ok(
    api.request('PATCH', path, { body: { endpoint }, headers: { 'if-match': current.headers.get('etag') as string } }),
  );
}

runBench(main);
