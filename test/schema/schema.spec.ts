import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { databaseOptions } from '../../config/database';
import { migrations } from '../../migrations';
import { createDatabase, dropDatabase } from '../support/databases';
import { databaseUrl, templateDatabase, uniqueName } from '../support/environment';

/** The migrations are the schema: the entities must agree with them, and they must be reversible. */
describe('database schema', () => {
  const migrated = uniqueName('kur_schema');
  const empty = uniqueName('kur_schema_empty');
  let dataSource: DataSource;

  beforeAll(async () => {
    await createDatabase(migrated, templateDatabase());
    await createDatabase(empty);
    dataSource = await new DataSource(databaseOptions(databaseUrl(migrated))).initialize();
  });

  afterAll(async () => {
    await dataSource.destroy();
    await dropDatabase(migrated);
    await dropDatabase(empty);
  });

  it('matches the entities: migration:generate would produce nothing', async () => {
    const pending = await dataSource.driver.createSchemaBuilder().log();
    expect(pending.upQueries.map((query) => query.query)).toEqual([]);
  });

  it('has an index on every foreign key', async () => {
    const unindexed: { table: string; constraint: string }[] = await dataSource.query(`
      SELECT c.conrelid::regclass::text AS table, c.conname AS constraint
      FROM pg_constraint c
      WHERE c.contype = 'f'
        AND NOT EXISTS (
          SELECT 1 FROM pg_index i
          WHERE i.indrelid = c.conrelid
            AND (i.indkey::int2[])[0:cardinality(c.conkey) - 1] @> c.conkey
            AND (i.indkey::int2[])[0:cardinality(c.conkey) - 1] <@ c.conkey
        )`);
    expect(unindexed).toEqual([]);
  });

  it("runs its statements without JIT, whatever the database's own settings say", async () => {
    // A database that would compile every plan; the service's sessions override it.
    await dataSource.query(`ALTER DATABASE "${migrated}" SET jit_above_cost = 0`);
    const session = await new DataSource(databaseOptions(databaseUrl(migrated))).initialize();
    try {
      const [{ 'QUERY PLAN': plan }] = await session.query(
        `EXPLAIN (ANALYZE, FORMAT JSON) SELECT count(*) FROM area JOIN activity ON activity.area_id = area.id`,
      );
      expect(plan[0]).not.toHaveProperty('JIT');
    } finally {
      await session.destroy();
    }
  });

  it('migrates up, all the way down and up again', async () => {
    const fresh = await new DataSource(databaseOptions(databaseUrl(empty))).initialize();
    try {
      expect(await fresh.runMigrations({ transaction: 'each' })).toHaveLength(migrations.length);
      for (let step = 0; step < migrations.length; step++) await fresh.undoLastMigration({ transaction: 'each' });
      const tables = await fresh.query(
        `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migration'`,
      );
      expect(tables).toEqual([]);
      expect(await fresh.runMigrations({ transaction: 'each' })).toHaveLength(migrations.length);
      expect(await fresh.showMigrations()).toBe(false);
    } finally {
      await fresh.destroy();
    }
  });
});
