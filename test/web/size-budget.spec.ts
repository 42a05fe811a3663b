import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { webAppRoot } from '../../src/web-app/web-app';

/** What Vite's manifest says of one source: its chunk, the chunks it imports at once, its styles. */
interface ManifestEntry {
  file: string;
  imports?: string[];
  css?: string[];
}

const BUDGET_BYTES = 250_000;
const FIRST_CHIEF_PAGE = 'src/features/handovers/InboxPage.vue';

/** Every file a browser fetches for these sources before the page shows: their chunks, static imports and styles. */
function filesLoadedBy(manifest: Record<string, ManifestEntry>, sources: string[]): Set<string> {
  const files = new Set<string>();
  const visit = (key: string) => {
    const entry = manifest[key];
    if (!entry) throw new Error(`${key} is not in the build's manifest`);
    if (files.has(entry.file)) return;
    files.add(entry.file);
    entry.css?.forEach((css) => files.add(css));
    entry.imports?.forEach(visit);
  };
  sources.forEach(visit);
  return files;
}

describe('the web app size budget (from the build output)', () => {
  const root = webAppRoot();
  const manifestPath = join(root, '.vite', 'manifest.json');

  it(`loads at most ${BUDGET_BYTES / 1000} kB of JavaScript and CSS, gzipped, for the chief's first page`, () => {
    if (!existsSync(manifestPath)) throw new Error(`${manifestPath} is missing: run npm run build`);
    const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as Record<string, ManifestEntry>;
    const files = [...filesLoadedBy(manifest, ['index.html', FIRST_CHIEF_PAGE])];
    const sizes = files.map((file) => ({ file, gzipped: statSync(join(root, `${file}.gz`)).size }));
    const total = sizes.reduce((sum, { gzipped }) => sum + gzipped, 0);
    console.log(
      `First chief page: ${(total / 1000).toFixed(1)} kB gzipped of ${BUDGET_BYTES / 1000} kB\n` +
        sizes.map(({ file, gzipped }) => `  ${file} ${(gzipped / 1000).toFixed(1)} kB`).join('\n'),
    );
    expect(files.some((file) => file.endsWith('.css'))).toBe(true);
    expect(total).toBeLessThanOrEqual(BUDGET_BYTES);
  });
});
