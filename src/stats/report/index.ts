/**
 * `sift report`: one self-contained HTML page that shows what a run did (funnel, drop reasons,
 * metric histograms with thresholds, languages, duplicate clusters, decontamination, mix
 * composition, unreadable records), from the run's manifest and Parquet stats.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../../io/shard-writer.js';
import { loadReportData } from './data.js';
import { renderPage } from './html.js';

export { loadReportData, type ReportData } from './data.js';
export { esc, renderPage } from './html.js';
export { stageThresholds, type Threshold } from './thresholds.js';

/** The report page of the run in `runDir`. */
export async function buildReport(runDir: string): Promise<string> {
  const start = performance.now();
  const data = await loadReportData(runDir);
  return renderPage(data, (performance.now() - start) / 1000);
}

/** Writes the report of `runDir` to `file` (atomically); returns the page's size in bytes. */
export async function writeReport(runDir: string, file: string): Promise<number> {
  const page = await buildReport(runDir);
  mkdirSync(dirname(file), { recursive: true });
  writeFileAtomic(file, page);
  return Buffer.byteLength(page);
}
