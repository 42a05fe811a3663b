import { dropDatabase } from './databases';
import { templateDatabase } from './environment';

export default async function globalTeardown(): Promise<void> {
  await dropDatabase(templateDatabase());
}
