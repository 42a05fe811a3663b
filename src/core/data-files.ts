import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** A file in the repository's `data/` folder, found from both the sources and the build. */
export function dataFile(name: string): string {
  return join(packageRoot(), 'data', name);
}

/** The folder holding package.json, from the sources or from dist/. */
export function packageRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = parent;
  }
  return dir;
}
