#!/usr/bin/env node
/*
 * Checks that an installed portal got the versions the repo's lockfile pins: every @backstage/*
 * package at the repo's one version, and counts the packages that the repo's lockfile does not
 * hold (resolved from the registry on the day of the run). Fails on a Backstage package that
 * drifted; lists the others in its output.
 *
 * Usage: check-pins.js REPO_LOCKFILE PORTAL_LOCKFILE
 */
const { readLockfile, backstageVersions } = require('./lockfile.js');

const [repoFile, portalFile] = process.argv.slice(2);
if (!repoFile || !portalFile) {
  console.error('usage: check-pins.js REPO_LOCKFILE PORTAL_LOCKFILE');
  process.exit(2);
}
const repo = readLockfile(repoFile);
const portal = readLockfile(portalFile);
const pinned = backstageVersions(repo);
const known = new Set(
  repo.entries.map(e => `${e.name}@${e.protocol}:${e.reference}`),
);

const drifted = [];
const unpinned = [];
for (const { name, protocol, reference } of portal.entries) {
  if (protocol !== 'npm') continue;
  if (name.startsWith('@backstage/') && pinned.get(name) !== reference) {
    drifted.push(
      `${name} ${reference} (the repo's lockfile: ${
        pinned.get(name) ?? 'not there'
      })`,
    );
  } else if (!known.has(`${name}@npm:${reference}`)) {
    unpinned.push(`${name}@${reference}`);
  }
}
const registryEntries = portal.entries.filter(e => e.protocol === 'npm').length;
console.log(
  `check-pins: ${registryEntries} registry packages in the portal; ${
    registryEntries - unpinned.length - drifted.length
  } at the repo's lockfile versions, ${unpinned.length} not in it`,
);
for (const entry of unpinned)
  console.log(`check-pins: not in the repo's lockfile: ${entry}`);
if (drifted.length) {
  for (const entry of drifted) console.error(`check-pins: drifted: ${entry}`);
  console.error(
    'check-pins: the portal is not on the Backstage release the repo pins; see prepare-portal.js',
  );
  process.exit(1);
}
