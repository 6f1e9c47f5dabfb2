/*
 * Reads a Yarn 4 lockfile into its entries, for pinning a generated portal to the versions in the
 * repo's own lockfile (prepare-portal.js) and for checking afterwards that it was (check-pins.js).
 */
const fs = require('node:fs');

/** Each entry: its key line (the descriptors), its text, and the package it resolves to. */
function readLockfile(file) {
  const text = fs.readFileSync(file, 'utf8');
  const blocks = text.split(/\n\n+/);
  const header = [];
  const entries = [];
  for (const block of blocks) {
    const resolution = /^ {2}resolution: "(.+)@([a-z]+):(.+)"$/m.exec(block);
    if (!resolution) {
      header.push(block);
      continue;
    }
    const [, name, protocol, reference] = resolution;
    entries.push({ block, name, protocol, reference });
  }
  return { header, entries };
}

/** The one version of every @backstage/* package the lockfile resolves from the registry. */
function backstageVersions(lockfile) {
  const versions = new Map();
  for (const { name, protocol, reference } of lockfile.entries) {
    if (!name.startsWith('@backstage/') || protocol !== 'npm') continue;
    versions.set(name, new Set([...(versions.get(name) ?? []), reference]));
  }
  const several = [...versions].filter(([, set]) => set.size > 1);
  if (several.length) {
    throw new Error(
      `the repo's yarn.lock has more than one version of ${several
        .map(([name, set]) => `${name} (${[...set].join(', ')})`)
        .join(
          '; ',
        )}: a portal cannot be pinned to one Backstage release. Run \`yarn dedupe '@backstage/*'\` in the repo`,
    );
  }
  return new Map([...versions].map(([name, set]) => [name, [...set][0]]));
}

module.exports = { readLockfile, backstageVersions };
