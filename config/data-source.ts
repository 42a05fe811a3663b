import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { databaseOptions } from './database';

/** The data source the TypeORM CLI uses (migration:generate for the drift check). */
if (!process.env.DATABASE_URL) throw new Error('DATABASE_URL is missing');
export default new DataSource(databaseOptions(process.env.DATABASE_URL));
