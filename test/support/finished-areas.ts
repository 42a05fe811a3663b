import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { Clock } from '../../src/core/clock';
import { PrioService } from '../../src/prio/prio.service';
import { JobName, jobIdOf } from '../../src/queue/job-catalogue';
import { AssociationReceiver } from '../fakes/association-receiver';
import { finishedWork, prioRow, setEndpoint } from './kur-fixtures';
import { TestApp } from './test-app';

/**
 * Many finished areas at once, for measuring the handover pipeline (bench/delivery-throughput and
 * the SQL budget test): every association with members pushes to its own path on the fake
 * receiver, one area with real work is made through the API, and copies of it are written with a
 * handful of set-based statements. Finishing writes what the finish step writes (the area FINISHED,
 * its audit event, its routing job in the outbox), for all areas in one transaction.
 */
export interface DeliveryWorld {
  api: TestApp;
  prototypeAreaId: string;
  associations: { id: string; members: string[]; receiver: string; endpoint: { url: string; secret: string } }[];
}

export interface SeededAreas {
  areaIds: string[];
  /** One handover per association covering an area's municipalities. */
  handovers: number;
}

export async function prepareDeliveryWorld(api: TestApp, receiver: AssociationReceiver): Promise<DeliveryWorld> {
  // The service's day (Swedish), not the database session's: they differ after midnight in Sweden.
  const rows: { id: string; members: string[] }[] = await api.dataSource.query(
    `SELECT association_id AS id, array_agg(municipality_code::text ORDER BY municipality_code) AS members
       FROM membership WHERE valid_to IS NULL AND valid_from <= $1::date
      GROUP BY association_id ORDER BY association_id`,
    [api.app.get(Clock).today()],
  );
  const associations = [];
  for (const [index, row] of rows.entries()) {
    const name = `association-${index}`;
    const endpoint = receiver.addReceiver(name);
    await setEndpoint(api, row.id, endpoint);
    associations.push({ ...row, receiver: name, endpoint });
  }
  const members = associations.flatMap((association) => association.members);
  await api.app
    .get(PrioService)
    .upsertBatch(members.flatMap((municipalityCode) => [2014, 2015].map((year) => prioRow(municipalityCode, year))));
  const prototypeAreaId = await finishedWork(api, `Förlaga ${randomUUID().slice(0, 8)} med partner`, ['0180']);
  return { api, prototypeAreaId, associations };
}

/**
 * `count` GRANTED areas with the prototype's activities, plans and sign-offs, each covering a
 * member of `perArea` distinct associations (the first one with two of its members when it has
 * them), so each area routes to `perArea` handovers.
 */
export async function seedGrantedAreas(world: DeliveryWorld, count: number, perArea = 3): Promise<SeededAreas> {
  const areaIds = Array.from({ length: count }, () => randomUUID());
  const names = areaIds.map((id) => `Mätområde ${id.slice(0, 8)} med partner`);
  const links: [string, string][] = [];
  for (const areaId of areaIds) {
    const chosen = shuffled(world.associations).slice(0, perArea);
    chosen.forEach((association, index) => {
      const members = shuffled(association.members).slice(0, index === 0 ? 2 : 1);
      for (const code of members) links.push([areaId, code]);
    });
  }
  await withClient(world.api, async (client) => {
    await client.query('BEGIN');
    const clone = (table: string, from: string, where: string, overrides: Record<string, string>) =>
      cloneRows(client, table, { from, where, overrides, prototypeAreaId: world.prototypeAreaId, areaIds, names });
    const key = (column: string) => `md5(copy.id::text || source.${column}::text)::uuid`;
    await clone('area', 'area source', 'source.id = $2', {
      id: 'copy.id',
      name: 'copy.name',
      status: `'GRANTED'`,
      version: '1',
    });
    await client.query(
      `INSERT INTO area_municipality (area_id, municipality_code) SELECT * FROM unnest($1::uuid[], $2::char(4)[])`,
      [links.map(([areaId]) => areaId), links.map(([, code]) => code)],
    );
    await clone('activity', 'activity source', 'source.area_id = $2', { id: key('id'), area_id: 'copy.id' });
    const plans = 'plan source JOIN activity ON activity.id = source.activity_id';
    await clone('plan', plans, 'activity.area_id = $2', { id: key('id'), activity_id: key('activity_id') });
    const revisions = `plan_revision source JOIN plan ON plan.id = source.plan_id
      JOIN activity ON activity.id = plan.activity_id`;
    await clone('plan_revision', revisions, 'activity.area_id = $2', { id: key('id'), plan_id: key('plan_id') });
    const signOffs = `plan_sign_off source JOIN plan_revision ON plan_revision.id = source.plan_revision_id
      JOIN plan ON plan.id = plan_revision.plan_id JOIN activity ON activity.id = plan.activity_id`;
    await clone('plan_sign_off', signOffs, 'activity.area_id = $2', {
      id: 'gen_random_uuid()',
      plan_revision_id: key('plan_revision_id'),
    });
    await client.query('COMMIT');
  });
  return { areaIds, handovers: count * perArea };
}

/**
 * What finishing writes, for every area at once: FINISHED with revision 1, an audit event and a
 * routing job. Answers when the areas were finished: the moment COMMIT was sent (Date.now()), as
 * nothing could see them before.
 */
export async function finishAreas(world: DeliveryWorld, areaIds: string[]): Promise<number> {
  const jobIds = areaIds.map((areaId) => jobIdOf(JobName.ROUTE_AREA, { areaId, revision: 1 }));
  return withClient(world.api, async (client) => {
    await client.query('BEGIN');
    await client.query(
      `UPDATE area SET status = 'FINISHED', handover_revision = 1, version = version + 1, updated_at = now()
        WHERE id = ANY($1) AND status = 'GRANTED'`,
      [areaIds],
    );
    await client.query(
      `INSERT INTO audit_event (actor, action, entity_type, entity_id, changes)
       SELECT 'system:bench', 'area.finished', 'area', id::text, '{"status":["GRANTED","FINISHED"]}'
         FROM unnest($1::uuid[]) AS area(id)`,
      [areaIds],
    );
    await client.query(
      `INSERT INTO outbox_message (job_name, job_id, payload)
       SELECT $1, job_id, jsonb_build_object('areaId', area_id, 'revision', 1)
         FROM unnest($2::uuid[], $3::text[]) AS job(area_id, job_id)`,
      [JobName.ROUTE_AREA, areaIds, jobIds],
    );
    const finishedAt = Date.now();
    await client.query('COMMIT');
    return finishedAt;
  });
}

/**
 * INSERT … SELECT of the prototype area's rows of `table` (found by `from`/`where`, the prototype's
 * id is $2), once per copy (`copy.id`, `copy.name` from $1 and $3), every column taken from the
 * source row except `overrides` (SQL over `copy` and `source`).
 */
async function cloneRows(
  client: Client,
  table: string,
  options: {
    from: string;
    where: string;
    overrides: Record<string, string>;
    prototypeAreaId: string;
    areaIds: string[];
    names: string[];
  },
): Promise<void> {
  const { rows } = await client.query<{ column_name: string }>(
    `SELECT column_name FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name = $1 AND column_name NOT IN ('created_at', 'updated_at')
      ORDER BY ordinal_position`,
    [table],
  );
  const columns = rows.map((row) => row.column_name);
  const values = columns.map((column) => options.overrides[column] ?? `source.${column}`);
  await client.query(
    `INSERT INTO ${table} (${columns.join(', ')})
     SELECT ${values.join(', ')} FROM unnest($1::uuid[], $3::text[]) AS copy(id, name), ${options.from}
      WHERE ${options.where}`,
    [options.areaIds, options.prototypeAreaId, options.names],
  );
}

async function withClient<T>(api: TestApp, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: api.config.DATABASE_URL, application_name: 'kur-bench-seed' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function shuffled<T>(items: T[]): T[] {
  const copy = [...items];
  for (let index = copy.length - 1; index > 0; index--) {
    const other = Math.floor(Math.random() * (index + 1));
    [copy[index], copy[other]] = [copy[other], copy[index]];
  }
  return copy;
}
