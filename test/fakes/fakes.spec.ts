import { Webhook } from 'standardwebhooks';
import { referenceAssociations } from './reference-registry';
import { startAssociationReceiver } from './association-receiver';
import { startFinsamRegistry } from './finsam-registry';
import { FeedRow, startPrioFeed } from './prio-feed';

const json = async (response: Promise<Response>): Promise<any> => (await response).json();

/** The fakes are shared by the demo and the tests, so they get tests of their own. */
describe('fake partner systems', () => {
  it('receiver: verifies signatures with standardwebhooks and records each webhook-id once', async () => {
    const receiver = await startAssociationReceiver();
    try {
      const { url, secret } = receiver.addReceiver('a');
      const body = JSON.stringify({ type: 'kur.handover.created', data: { n: 1 } });
      const post = (id: string, signWith = secret) => {
        const now = new Date();
        return fetch(url, {
          method: 'POST',
          body,
          headers: {
            'content-type': 'application/json',
            'webhook-id': id,
            'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
            'webhook-signature': new Webhook(signWith).sign(id, now, body),
          },
        });
      };
      expect((await post('msg_1')).status).toBe(200);
      expect((await post('msg_1')).status).toBe(200);
      expect((await post('msg_2', `whsec_${Buffer.from('another secret key!!').toString('base64')}`)).status).toBe(401);
      receiver.failNext('a', 1, { status: 429, retryAfterSeconds: 7 });
      const limited = await post('msg_3');
      expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '7']);
      expect(receiver.deliveries('a').map((delivery) => delivery.webhookId)).toEqual(['msg_1']);
      expect(receiver.duplicateCount('a')).toBe(1);
      expect((await fetch(`${receiver.url}/receivers/nobody`, { method: 'POST', body })).status).toBe(404);
    } finally {
      await receiver.close();
    }
  });

  it('registry: pages the reference associations and fails a page on request', async () => {
    const associations = referenceAssociations();
    const registry = await startFinsamRegistry({ associations, pageSize: 10 });
    try {
      const seen: string[] = [];
      let totalPages = 1;
      for (let page = 1; page <= totalPages; page++) {
        const body = await json(fetch(`${registry.url}/v1/associations?page=${page}&pageSize=10`));
        totalPages = body.totalPages;
        seen.push(...body.items.map((item: { externalId: string }) => item.externalId));
      }
      expect(totalPages).toBe(5);
      expect(seen.sort()).toEqual(associations.map((item) => item.externalId).sort());
      registry.failPage(2, 1, 503);
      expect((await fetch(`${registry.url}/v1/associations?page=2&pageSize=10`)).status).toBe(503);
      expect((await fetch(`${registry.url}/v1/associations?page=2&pageSize=10`)).status).toBe(200);
      expect((await fetch(`${registry.url}/v1/associations?page=0`)).status).toBe(400);
    } finally {
      await registry.close();
    }
  });

  it('PRIO feed: pages every synthetic row exactly once, filters by updatedSince and fails on request', async () => {
    const feed = await startPrioFeed({ municipalityCodes: ['0180', '0114', '0484'], years: 4 });
    const readAll = async (since?: string): Promise<FeedRow[]> => {
      const rows: FeedRow[] = [];
      let after: string | null = null;
      do {
        const query = new URLSearchParams({
          limit: '5',
          ...(since ? { updatedSince: since } : {}),
          ...(after ? { after } : {}),
        });
        const body: { items: FeedRow[]; nextCursor: string | null } = await json(
          fetch(`${feed.url}/v1/inventories?${query.toString()}`),
        );
        rows.push(...body.items);
        after = body.nextCursor;
      } while (after);
      return rows;
    };
    try {
      const all = await readAll();
      expect(all).toHaveLength(12);
      expect(new Set(all.map((row) => `${row.municipalityCode}/${row.year}`)).size).toBe(12);
      expect(all).toEqual(feed.expectedRows());
      expect(all.every((row) => row.synthetic && row.unmetHousingNeeds <= row.inventoriedPersons)).toBe(true);

      const watermark = all[all.length - 1].updatedAt;
      feed.updateRows([{ municipalityCode: '0114', year: 2013 }]);
      const changed = await readAll(watermark);
      expect(changed.map((row) => [row.municipalityCode, row.year, row.revision])).toEqual([
        [all[all.length - 1].municipalityCode, all[all.length - 1].year, 1],
        ['0114', 2013, 2],
      ]);

      feed.failAfterItems(5, 'always');
      expect((await fetch(`${feed.url}/v1/inventories?limit=5`)).status).toBe(200);
      const second = (await json(fetch(`${feed.url}/v1/inventories?limit=5`))).nextCursor;
      expect((await fetch(`${feed.url}/v1/inventories?limit=5&after=${second}`)).status).toBe(500);
      expect((await fetch(`${feed.url}/v1/inventories?after=garbage`)).status).toBe(400);
    } finally {
      await feed.close();
    }
  });

  it('PRIO feed: generates a million rows page by page without holding them', async () => {
    const feed = await startPrioFeed({
      municipalityCodes: Array.from({ length: 290 }, (_, index) => String(1000 + index)),
      years: 3449,
    });
    try {
      const started = process.memoryUsage().heapUsed;
      const body = await json(fetch(`${feed.url}/v1/inventories?limit=10000`));
      expect(body.totalItems).toBe(1_000_210);
      expect(body.items).toHaveLength(10_000);
      expect(process.memoryUsage().heapUsed - started).toBeLessThan(200 * 1024 * 1024);
    } finally {
      await feed.close();
    }
  });
});
