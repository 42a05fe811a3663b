import Fastify, { FastifyReply, FastifyRequest } from 'fastify';
import { jwtVerify } from 'jose';
import { createSecretKey } from 'node:crypto';
import { Pool } from 'pg';
import { parseDuration } from '../config/app-config';
import { Role } from '../src/auth/principal';
import { toAreaView } from '../src/areas/area.views';
import { encodeCursor } from '../src/core/http/pagination';
import { toHandoverListItemView, toHandoverWithPackageView } from '../src/handovers/handover.views';

/**
 * The reads bench's baseline: bare Fastify + pg serving the four read endpoints with the same SQL,
 * the same JWT check and the same JSON as the project (the project's own view functions), and
 * nothing else. Run as its own process: DATABASE_URL, AUTH_JWT_SECRET, PORT.
 */
const LIMIT = 50;
const AREA = `id, name, kur_region AS "kurRegion", kur_phase AS "kurPhase", status, granted_sek AS "grantedSek",
  allocated_sek AS "allocatedSek", principals, summary, notes, version, created_at AS "createdAt", updated_at AS "updatedAt"`;
const HANDOVER = `id, area_id AS "areaId", revision, status, recipient_type AS "recipientType", association_id AS "associationId",
  recipient_municipality_code AS "recipientMunicipalityCode", direct_recipient AS "directRecipient",
  municipality_codes AS "municipalityCodes", delivery_id AS "deliveryId", delivery_seq AS "deliverySeq",
  delivered_at AS "deliveredAt", decision_reason AS "decisionReason", decided_at AS "decidedAt", last_error AS "lastError",
  superseded_by_id AS "supersededById", version, created_at AS "createdAt", updated_at AS "updatedAt"`;

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 10, application_name: 'bare-baseline' });
// The project's checks: its issuer, audience, required claims, lifetime and clock skew, a known role.
const secret = createSecretKey(Buffer.from(process.env.AUTH_JWT_SECRET ?? '', 'utf8'));
const verifying = {
  algorithms: ['HS256'],
  issuer: process.env.AUTH_ISSUER,
  audience: process.env.AUTH_AUDIENCE,
  requiredClaims: ['exp', 'iat', 'sub'],
  maxTokenAge: parseDuration(process.env.AUTH_TOKEN_MAX_LIFETIME ?? '24h') / 1000,
  clockTolerance: parseDuration(process.env.AUTH_CLOCK_SKEW ?? '60s') / 1000,
};
const ROLES: unknown[] = Object.values(Role);
const app = Fastify();

async function authorised(request: FastifyRequest, reply: FastifyReply): Promise<boolean> {
  const match = /^Bearer (\S+)$/i.exec(request.headers.authorization ?? '');
  try {
    if (match && ROLES.includes((await jwtVerify(match[1], secret, verifying)).payload.role)) return true;
  } catch {
    // answered below
  }
  void reply.code(401).send({ status: 401 });
  return false;
}

async function codesOf(ids: string[]): Promise<Map<string, string[]>> {
  const codes = new Map<string, string[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return codes;
  const { rows } = await pool.query(
    'SELECT area_id, municipality_code FROM area_municipality WHERE area_id = ANY($1) ORDER BY municipality_code',
    [ids],
  );
  for (const row of rows) codes.get(row.area_id)?.push(row.municipality_code);
  return codes;
}

function page<T>(rows: T[], cursorOf: (row: T) => (string | number)[]) {
  const items = rows.slice(0, LIMIT);
  return { items, nextCursor: rows.length > LIMIT ? encodeCursor(cursorOf(items[items.length - 1])) : null };
}

app.get('/api/v1/areas', async (request, reply) => {
  if (!(await authorised(request, reply))) return reply;
  const { rows } = await pool.query(`SELECT ${AREA} FROM area ORDER BY name, id LIMIT ${LIMIT + 1}`);
  const listed = page(rows, (area) => [area.name, area.id]);
  const codes = await codesOf(listed.items.map((area) => area.id));
  return {
    items: listed.items.map((area) => toAreaView({ area, municipalityCodes: codes.get(area.id) ?? [] })),
    nextCursor: listed.nextCursor,
  };
});

app.get<{ Params: { id: string } }>('/api/v1/areas/:id', async (request, reply) => {
  if (!(await authorised(request, reply))) return reply;
  const { rows } = await pool.query(`SELECT ${AREA} FROM area WHERE id = $1`, [request.params.id]);
  if (!rows[0]) return reply.code(404).send({ status: 404 });
  const codes = await codesOf([rows[0].id]);
  void reply.header('etag', `"${rows[0].version}"`);
  return toAreaView({ area: rows[0], municipalityCodes: codes.get(rows[0].id) ?? [] });
});

app.get('/api/v1/handovers', async (request, reply) => {
  if (!(await authorised(request, reply))) return reply;
  const { rows } = await pool.query(`SELECT ${HANDOVER} FROM handover ORDER BY created_at, id LIMIT ${LIMIT + 1}`);
  const listed = page(rows, (row) => [row.createdAt.toISOString(), row.id]);
  // The names people read: the areas' and the municipalities', one query each.
  const areaIds = [...new Set(listed.items.map((row) => row.areaId))];
  const codes = [...new Set(listed.items.flatMap((row) => row.municipalityCodes as string[]))];
  const [areas, municipalities] = await Promise.all([
    pool.query('SELECT id, name FROM area WHERE id = ANY($1)', [areaIds]),
    pool.query('SELECT code, name FROM municipality WHERE code = ANY($1) ORDER BY code', [codes]),
  ]);
  const areaName = new Map(areas.rows.map((row) => [row.id, row.name]));
  const municipalityName = new Map(municipalities.rows.map((row) => [row.code, row.name]));
  const items = listed.items.map((handover) =>
    toHandoverListItemView({
      handover,
      areaName: areaName.get(handover.areaId) ?? '',
      municipalities: (handover.municipalityCodes as string[]).map((code) => ({
        code,
        name: municipalityName.get(code) ?? code,
      })),
    }),
  );
  return { items, nextCursor: listed.nextCursor };
});

app.get<{ Params: { id: string } }>('/api/v1/associations/:id/handovers', async (request, reply) => {
  if (!(await authorised(request, reply))) return reply;
  const { rows } = await pool.query(
    `SELECT ${HANDOVER}, package FROM handover
      WHERE association_id = $1 AND status IN ('DELIVERED', 'ACCEPTED', 'DECLINED') AND delivery_seq IS NOT NULL
      ORDER BY delivery_seq LIMIT ${LIMIT + 1}`,
    [request.params.id],
  );
  const listed = page(rows, (row) => [Number(row.deliverySeq)]);
  return {
    items: listed.items.map((row) => toHandoverWithPackageView(row)),
    nextCursor: listed.nextCursor,
  };
});

app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' }).then(
  () => console.log('listening'),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);

// A clean exit, so that --cpu-prof writes its profile.
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
