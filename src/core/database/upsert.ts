import { EntityManager } from 'typeorm';

/**
 * INSERT … ON CONFLICT DO UPDATE only where a value differs, so re-loading the same data leaves
 * every row (and its updated_at) as it was. Returns the rows inserted or changed.
 */
export async function upsertChanged(
  manager: EntityManager,
  table: string,
  keys: string[],
  columns: string[],
  rows: unknown[][],
): Promise<number> {
  if (rows.length === 0) return 0;
  const all = [...keys, ...columns];
  const values = rows.map((_, row) => `(${all.map((__, col) => `$${row * all.length + col + 1}`).join(', ')})`);
  const set = [...columns.map((c) => `${c} = EXCLUDED.${c}`), 'updated_at = now()'].join(', ');
  const distinct = `(${columns.map((c) => `${table}.${c}`).join(', ')}) IS DISTINCT FROM (${columns.map((c) => `EXCLUDED.${c}`).join(', ')})`;
  const result: unknown[] = await manager.query(
    `INSERT INTO ${table} (${all.join(', ')}) VALUES ${values.join(', ')}
     ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${set} WHERE ${distinct} RETURNING 1`,
    rows.flat(),
  );
  return result.length;
}
