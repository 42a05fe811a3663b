import { Client } from 'pg';
import { POSTGRES_URL } from './environment';

/** Runs statements on the maintenance database (CREATE/DROP DATABASE cannot run in a transaction). */
export async function admin<T>(work: (client: Client) => Promise<T>, url = POSTGRES_URL): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export const createDatabase = (name: string, template?: string, url?: string) =>
  admin((client) => client.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`), url);

export const dropDatabase = (name: string, url?: string) =>
  admin((client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`), url);
