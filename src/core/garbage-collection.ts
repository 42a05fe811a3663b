import { setFlagsFromString } from 'node:v8';

/**
 * For the long-running processes (API, worker), before they serve. V8 pretenures an allocation
 * site, allocating its objects straight into the old generation, once most of them survive a
 * young-generation collection. Under concurrent requests the rows, views and JSON of requests in
 * flight look like that; pretenured, they then keep everything they point to alive until a full
 * collection: each scavenge took 5-6 ms instead of 1 and the old generation grew between full
 * collections, a third of the API's throughput on list pages (bench/reads). Setting the flag
 * here rather than on the command line keeps `npm start`, the container and the benches alike;
 * it changes a collection heuristic only, read at each collection.
 */
export function tuneGarbageCollector(): void {
  setFlagsFromString('--no-allocation-site-pretenuring');
}
