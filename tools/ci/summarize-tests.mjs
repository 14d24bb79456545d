#!/usr/bin/env node
// Sums every package's vitest JSON report (test-results/vitest.json) into the one plain line
// CI reads: `N passed, N failed[, N skipped]`. A test file that failed to load has no test
// results of its own; it counts as one failure so that a broken file cannot pass silently.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
let passed = 0;
let failed = 0;
let skipped = 0;
const reports = [];
for (const area of ['packages', 'apps']) {
  const dir = join(root, area);
  if (!existsSync(dir)) continue;
  for (const name of readdirSync(dir)) {
    const file = join(dir, name, 'test-results', 'vitest.json');
    if (existsSync(file)) reports.push(file);
  }
}
for (const file of reports) {
  let report;
  try {
    report = JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    failed += 1;
    continue;
  }
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  for (const suite of report.testResults ?? []) {
    if (suite.status === 'failed' && (suite.assertionResults ?? []).length === 0) failed += 1;
  }
}
const expected = Number(process.argv[2] ?? '0');
if (reports.length < expected) failed += expected - reports.length;
process.stdout.write(`${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exit(failed > 0 ? 1 : 0);
