import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { databaseOptions } from '../../config/database';
import { loadReferenceWorld } from '../fakes/reference-world';
import { createDatabase } from './databases';
import { databaseUrl, templateDatabase, testConfig, uniqueName } from './environment';
import { deleteQueueKeys } from './test-app';

/**
 * Migrates one template database and loads the reference world into it; every test file then
 * clones it with CREATE DATABASE … TEMPLATE, which takes milliseconds. The template's name is
 * this run's own, so concurrent `npm test` runs on one machine do not share it.
 */
export default async function globalSetup(): Promise<void> {
  process.env.KUR_TEST_TEMPLATE = uniqueName('kur_tpl');
  const template = templateDatabase();
  await createDatabase(template);
  const dataSource = await new DataSource(databaseOptions(databaseUrl(template))).initialize();
  await dataSource.runMigrations({ transaction: 'each' });
  await dataSource.destroy();
  // The registry sync's queues write their meta keys under a prefix of this setup's own, removed after.
  const queuePrefix = uniqueName('kursetup');
  await loadReferenceWorld(testConfig({ QUEUE_PREFIX: queuePrefix }));
  await deleteQueueKeys(queuePrefix);
}
