#!/usr/bin/env node
/*
 * Reads the JSON reports of Jest and Playwright written by scripts/test.sh and prints what they
 * counted; the very last line is the sum, `N passed, N failed`.
 *
 * A runner that wrote no report (it crashed, or its step never ran) counts as one failure, and so
 * does a test file that failed without any failed test (it did not compile, or failed to load), so
 * the totals never read "0 failed" when a runner failed.
 *
 * Usage: node scripts/test-totals.js <jest.json> <playwright.json> [<install-test summary.json>]
 */
const fs = require('node:fs');

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

function jestCounts(file) {
  const report = readJson(file);
  if (!report) {
    return {
      passed: 0,
      failed: 1,
      lines: ['jest: no report (the run did not finish)'],
    };
  }
  const brokenFiles = (report.testResults ?? []).filter(
    result =>
      result.status === 'failed' &&
      !(result.assertionResults ?? []).some(a => a.status === 'failed'),
  );
  const lines = [
    `jest: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ` +
      `${report.numPendingTests + (report.numTodoTests ?? 0)} skipped ` +
      `in ${report.numTotalTestSuites} files`,
  ];
  for (const broken of brokenFiles) {
    lines.push(`jest: file failed to run: ${broken.name}`);
  }

  // Store tests run once per database (TestDatabases names each run after its engine).
  const perDatabase = new Map();
  for (const result of report.testResults ?? []) {
    for (const assertion of result.assertionResults ?? []) {
      const title = [...(assertion.ancestorTitles ?? []), assertion.title].join(
        ' ',
      );
      const match = /\b(SQLITE_3|POSTGRES_\d+|MYSQL_\d+)\b/.exec(title);
      if (match && assertion.status === 'passed') {
        perDatabase.set(match[1], (perDatabase.get(match[1]) ?? 0) + 1);
      }
    }
  }
  if (perDatabase.size > 0) {
    const parts = [...perDatabase].map(([db, n]) => `${n} on ${db}`);
    lines.push(`jest: store tests passed: ${parts.join(', ')}`);
  }
  return {
    passed: report.numPassedTests,
    failed: report.numFailedTests + brokenFiles.length,
    lines,
  };
}

function playwrightCounts(file) {
  const report = readJson(file);
  if (!report || !report.stats) {
    return {
      passed: 0,
      failed: 1,
      lines: ['playwright: no report (the run did not finish)'],
    };
  }
  const { expected = 0, unexpected = 0, flaky = 0, skipped = 0 } = report.stats;
  // Errors outside tests (the web server did not start, a file did not load).
  const errors = (report.errors ?? []).length;
  const lines = [
    `playwright: ${expected + flaky} passed (${flaky} after a retry), ` +
      `${unexpected} failed, ${skipped} skipped`,
  ];
  for (const error of report.errors ?? []) {
    const message = String(
      error.message ?? error.value ?? 'unknown error',
    ).split('\n')[0];
    lines.push(`playwright: error outside tests: ${message}`);
  }
  return { passed: expected + flaky, failed: unexpected + errors, lines };
}

function installTestCounts(file) {
  const report = readJson(file);
  if (!report) {
    return {
      passed: 0,
      failed: 1,
      lines: ['install test: no report (the run did not finish)'],
    };
  }
  return {
    passed: report.passed,
    failed: report.failed,
    lines: [
      `install test: ${report.passed} frontend systems passed, ${report.failed} failed`,
    ],
  };
}

const [jestFile, playwrightFile, installTestFile] = process.argv.slice(2);
const runners = [jestCounts(jestFile), playwrightCounts(playwrightFile)];
if (installTestFile) runners.push(installTestCounts(installTestFile));
for (const runner of runners) {
  for (const line of runner.lines) {
    console.log(line);
  }
}
const passed = runners.reduce((sum, r) => sum + r.passed, 0);
const failed = runners.reduce((sum, r) => sum + r.failed, 0);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
