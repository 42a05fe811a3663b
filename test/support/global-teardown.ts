import { dropDatabase } from './databases';
import { TEMPLATE_DATABASE } from './environment';

export default async function globalTeardown(): Promise<void> {
  await dropDatabase(TEMPLATE_DATABASE);
}
