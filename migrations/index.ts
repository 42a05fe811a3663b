import { Initial1763800000000 } from './1763800000000-Initial';
import { HandoverPipeline1763900000000 } from './1763900000000-HandoverPipeline';
import { SyncRuns1764000000000 } from './1764000000000-SyncRuns';
import { ListIndexes1764100000000 } from './1764100000000-ListIndexes';
import { SignIn1765070000000 } from './1765070000000-SignIn';

/** Every migration in order; the app, the CLI and the tests run exactly this list. */
export const migrations = [
  Initial1763800000000,
  HandoverPipeline1763900000000,
  SyncRuns1764000000000,
  ListIndexes1764100000000,
  SignIn1765070000000,
];
