import { Initial1763800000000 } from './1763800000000-Initial';

/** Every migration in order; the app, the CLI and the tests run exactly this list. */
export const migrations = [Initial1763800000000];
