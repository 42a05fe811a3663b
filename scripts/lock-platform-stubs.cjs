// `npm run lock:stubs` after changing dependencies. This machine's registry serves no darwin/win32/
// exotic-linux builds, so npm leaves them out of the lock and `npm ci` then rejects it.
// Adds lock entries for platform-specific optional packages this machine's registry does not serve,
// so `npm ci` accepts the lock; npm skips them on install because their os/cpu do not match.
const fs = require('fs');
const lock = JSON.parse(fs.readFileSync('package-lock.json', 'utf8'));
const added = [];
for (const [path, entry] of Object.entries(lock.packages)) {
  for (const [dep, spec] of Object.entries(entry.optionalDependencies || {})) {
    const key = `node_modules/${dep}`;
    if (lock.packages[key] || lock.packages[`${path}/node_modules/${dep}`]) continue;
    const m = /-(darwin|win32|linux|freebsd|android)-(arm64|x64|arm|ppc64|s390x|ia32|riscv64)/.exec(dep);
    if (!m) continue;
    lock.packages[key] = {
      version: spec.replace(/^[\^~]/, ''),
      cpu: [m[2]],
      os: [m[1]],
      optional: true,
      ...(entry.dev ? { dev: true } : {}),
    };
    added.push(`${dep}@${spec}`);
  }
}
lock.packages = Object.fromEntries(
  Object.entries(lock.packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
);
fs.writeFileSync('package-lock.json', JSON.stringify(lock, null, 2) + '\n');
console.log(added.join('\n'));
