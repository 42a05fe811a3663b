import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { databaseOptions } from '../../config/database';
import { loadReferenceWorld } from '../fakes/reference-world';
import { createDatabase, dropDatabase } from './databases';
import { TEMPLATE_DATABASE, databaseUrl, testConfig } from './environment';

/**
 * Migrates one template database and loads the reference world into it; every test file then
 * clones it with CREATE DATABASE … TEMPLATE, which takes milliseconds.
 */
export default async function globalSetup(): Promise<void> {
  await dropDatabase(TEMPLATE_DATABASE);
  await createDatabase(TEMPLATE_DATABASE);
  const dataSource = await new DataSource(databaseOptions(databaseUrl(TEMPLATE_DATABASE))).initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  await dataSource.destroy();
  await loadReferenceWorld(testConfig({}));
}
