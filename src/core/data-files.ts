import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A file in the repository's `data/` folder, found from both the sources and the build. */
export function dataFile(name: string): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`data/${name}: no package.json above ${__dirname}`);
    dir = parent;
  }
  return join(dir, 'data', name);
}
