#!/usr/bin/env node
/*
 * Gives a freshly generated portal the facts this machine needs (docs: SETUP-NOTES) and points
 * the suite's package names at the packed tarballs, so that the README's `yarn add` lines and
 * the suite's own dependencies on each other all resolve to what `yarn pack` produced.
 *
 * Usage: prepare-portal.js PORTAL_DIR PACKS_DIR
 */
const fs = require('node:fs');
const path = require('node:path');

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
    ...tarballs,
  };
});

editJson(path.join(portal, 'packages/backend/package.json'), pkg => {
  pkg.dependencies['better-sqlite3'] = '^13.2.0';
});

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
  `prepare-portal: ${
    Object.keys(tarballs).length
  } tarballs as resolutions, yarn 4.18.1, better-sqlite3 ^13.2.0`,
);
