#!/usr/bin/env node
/*
 * Gives a freshly generated portal the facts this machine needs (docs: SETUP-NOTES), pins it to
 * the versions in the repo's own lockfile, and points the suite's package names at the packed
 * tarballs, so that the README's `yarn add` lines and the suite's own dependencies on each other
 * all resolve to what `yarn pack` produced.
 *
 * Pinning, so that a run next month gives today's answer: create-app normally seeds the portal's
 * yarn.lock from a file it downloads, which cannot be reached here; without it the portal resolves
 * whatever the registry serves that day (a newer signals-backend next to an older backend-defaults
 * stopped the backend once). So the repo's yarn.lock plays the seed: every @backstage/* package
 * gets the repo's one version as a resolution, and the repo's lockfile entries become the portal's
 * yarn.lock, so every dependency the two share resolves as it does in the repo.
 *
 * Usage: prepare-portal.js PORTAL_DIR PACKS_DIR
 */
const fs = require('node:fs');
const path = require('node:path');
const { readLockfile, backstageVersions } = require('./lockfile.js');

const repoLockfile = path.resolve(__dirname, '../../yarn.lock');

const [portal, packs] = process.argv.slice(2).map(p => path.resolve(p));
if (!portal || !packs) {
  console.error('usage: prepare-portal.js PORTAL_DIR PACKS_DIR');
  process.exit(2);
}

function editJson(file, edit) {
  const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
  edit(pkg);
  fs.writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
}

const tarballs = {};
for (const file of fs.readdirSync(packs).filter(f => f.endsWith('.tgz'))) {
  tarballs[`@autonomous-dev/${file.replace(/\.tgz$/, '')}`] = `file:${path.join(
    packs,
    file,
  )}`;
}
if (Object.keys(tarballs).length === 0) {
  console.error(`prepare-portal: no .tgz in ${packs}; run pack.sh first`);
  process.exit(1);
}

const lockfile = readLockfile(repoLockfile);
const backstage = backstageVersions(lockfile);

editJson(path.join(portal, 'package.json'), pkg => {
  // 4.13 (the template's) crashes on `yarn add` under Node 24.
  pkg.packageManager = 'yarn@4.18.1';
  pkg.resolutions = {
    ...pkg.resolutions,
    // Versions whose other-platform builds the registry lacks, pinned to ones it has.
    '@swc/core': '1.16.18',
    rollup: '4.67.4',
    'unrs-resolver': '1.12.2',
    '@yarnpkg/core': '4.9.1',
    // better-sqlite3 12 crashes the backend at start on Node 24.
    'better-sqlite3': '^13.2.0',
    // The Backstage release of the repo, package by package.
    ...Object.fromEntries(backstage),
    ...tarballs,
  };
});

editJson(path.join(portal, 'packages/backend/package.json'), pkg => {
  pkg.dependencies['better-sqlite3'] = '^13.2.0';
});

// The seed: the repo's resolved entries (not its workspaces) as the portal's lockfile; Yarn keeps
// the ones the portal's descriptors match and drops the rest.
fs.writeFileSync(
  path.join(portal, 'yarn.lock'),
  `${[
    ...lockfile.header,
    ...lockfile.entries
      .filter(entry => entry.protocol !== 'workspace')
      .map(entry => entry.block),
  ]
    .join('\n\n')
    .trimEnd()}\n`,
);

// The template vendors Yarn 4.13; corepack provides 4.18.1 from packageManager instead.
const yarnrc = path.join(portal, '.yarnrc.yml');
fs.writeFileSync(
  yarnrc,
  fs
    .readFileSync(yarnrc, 'utf8')
    .split('\n')
    .filter(line => !line.startsWith('yarnPath:'))
    .join('\n'),
);
fs.rmSync(path.join(portal, '.yarn/releases'), {
  recursive: true,
  force: true,
});

console.log(
  `prepare-portal: ${Object.keys(tarballs).length} tarballs and ${
    backstage.size
  } @backstage/* versions as resolutions, the repo's yarn.lock as seed, yarn 4.18.1, better-sqlite3 ^13.2.0`,
);
