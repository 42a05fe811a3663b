import { DataSource } from 'typeorm';
import { ApiResponse } from './test-app';

/** Every row of these tables, to compare the database before and after a refused mutation. */
export async function snapshot(dataSource: DataSource, tables: readonly string[]): Promise<Record<string, unknown[]>> {
  const result: Record<string, unknown[]> = {};
  for (const table of tables) {
    result[table] = await dataSource.query(`SELECT to_jsonb(t) AS row FROM "${table}" t ORDER BY to_jsonb(t)::text`);
  }
  return result;
}

/** The audit trail of one entity, oldest first. */
export function auditOf(
  dataSource: DataSource,
  entityId: string,
): Promise<{ action: string; actor: string; changes: any }[]> {
  return dataSource.query(
    'SELECT action, actor, changes FROM audit_event WHERE entity_id = $1 ORDER BY created_at, id',
    [entityId],
  );
}

/** An RFC 9457 problem with this status, and no stack trace in it. */
export function expectProblem(response: ApiResponse, status: number): void {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toContain('application/problem+json');
  expect(response.body).toMatchObject({ status, title: expect.any(String), type: expect.any(String) });
  expect(JSON.stringify(response.body)).not.toMatch(/\bat .+\.(ts|js):\d+/);
}
