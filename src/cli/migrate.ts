import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { databaseOptions } from '../../config/database';
import { runEntryPoint } from '../core/entry-point';

/** `npm run migration:run` / `migration:revert` / `migration:show`. Needs only DATABASE_URL. */
runEntryPoint(async () => {
  const command = process.argv[2];
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is missing');
  const dataSource = await new DataSource(databaseOptions(url)).initialize();
  try {
    if (command === 'run') {
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      console.log(applied.length ? `Applied: ${applied.map((m) => m.name).join(', ')}` : 'The schema is up to date');
    } else if (command === 'revert') {
      await dataSource.undoLastMigration({ transaction: 'each' });
      console.log('Reverted the last migration');
    } else if (command === 'show') {
      console.log((await dataSource.showMigrations()) ? 'Pending migrations exist' : 'The schema is up to date');
    } else {
      throw new Error('usage: migrate run|revert|show');
    }
  } finally {
    await dataSource.destroy();
  }
});
