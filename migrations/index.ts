import { Initial1763800000000 } from './1763800000000-Initial';
import { HandoverPipeline1763900000000 } from './1763900000000-HandoverPipeline';

/** Every migration in order; the app, the CLI and the tests run exactly this list. */
export const migrations = [Initial1763800000000, HandoverPipeline1763900000000];
