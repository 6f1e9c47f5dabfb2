#!/usr/bin/env -S node --disable-warning=MODULE_TYPELESS_PACKAGE_JSON
import { run } from './run.ts';

run({
  argv: process.argv.slice(2),
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
}).then(
  code => {
    process.exitCode = code;
  },
  error => {
    process.stderr.write(`error: ${error?.stack ?? error}\n`);
    process.exitCode = 1;
  },
);
