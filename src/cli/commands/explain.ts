/**
 * `sift explain RUN --stage NAME [--reason R] [-n 5]`: sample documents a stage dropped (or, in tag
 * mode, flagged), with their metrics and the start of their text, so a user sees what a rule removes.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { readManifest } from '../../core/manifest.js';
import { RunDir } from '../../exec/run-dir.js';
import { readShard } from '../../io/read-shard.js';
import { recordReader } from '../../io/record.js';
import { discoverShards } from '../../io/shards.js';
import { sqlString } from '../../stats/duckdb.js';
import { openRunDatabase } from '../../stats/query.js';
import { intOption, UsageError } from '../main.js';
import { plain } from './stats.js';

const FIXED = new Set(['id', 'shard', 'stage', 'keep', 'reason']);

function excerpt(text: string, max: number): string {
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return cut.replace(/\r\n|\r|\n/g, '⏎\n    ').replace(/\t/g, '⇥');
}

export function registerExplain(program: Command): void {
  program
    .command('explain')
    .description('show sample documents a stage dropped (or flagged in tag mode), with their metrics and text')
    .argument('<run>', 'run directory')
    .requiredOption('--stage <name>', 'stage name (see sift stats RUN)')
    .option('--reason <reason>', 'only documents dropped for this reason')
    .option('-n <count>', 'how many documents', intOption('-n'), 5)
    .option('--chars <n>', 'characters of text to show per document', intOption('--chars'), 600)
    .option('--kept', 'show sample documents the stage kept instead')
    .addHelpText('after', '\nTexts of dropped documents come from RUN/rejected/ (runs with rejected: true); flagged ones (tag mode) and kept ones from RUN/output/.')
    .action(async (runDir: string, o: { stage: string; reason?: string; n: number; chars: number; kept?: boolean }) => {
      const run = new RunDir(runDir);
      if (!existsSync(run.manifest)) throw new UsageError(`${runDir} is not a run directory (no manifest.json)`);
      const manifest = readManifest(run.manifest);
      if (manifest.config.kind !== 'pipeline') throw new UsageError(`${runDir} is a ${manifest.config.kind} run; explain shows what the stages of a pipeline did`);
      const stage = manifest.config.stages.find((s) => s.name === o.stage);
      if (!stage) throw new UsageError(`no stage "${o.stage}" in this run; its stages: ${manifest.config.stages.map((s) => s.name).join(', ')}`);
      const db = await openRunDatabase(runDir);
      const out = (l: string): void => void process.stdout.write(`${l}\n`);
      let rows: Record<string, unknown>[];
      try {
        const where = `stage = ${sqlString(o.stage)} AND ${o.kept ? 'keep' : 'NOT keep'}${o.reason ? ` AND reason = ${sqlString(o.reason)}` : ''}`;
        const counts = (await db.con.runAndReadAll(`SELECT reason, count(*) AS n FROM docs WHERE stage = ${sqlString(o.stage)} AND NOT keep GROUP BY reason ORDER BY n DESC`)).getRowObjectsJS();
        if (counts.length === 0 && !o.kept) {
          const any = (await db.con.runAndReadAll(`SELECT count(*) AS n FROM docs WHERE stage = ${sqlString(o.stage)}`)).getRowObjectsJS();
          out(Number(any[0]?.n) === 0 ? `no per-document stats for stage ${o.stage} (stats.docs: false?)` : `stage ${o.stage} dropped nothing`);
          return;
        }
        out(`stage ${o.stage} (${stage.type}, mode ${stage.mode}): ${counts.map((c) => `${c.reason} ${plain(c.n)}`).join(', ')}`);
        rows = (await db.con.runAndReadAll(`SELECT * FROM docs WHERE ${where} ORDER BY hash(id) LIMIT ${o.n}`)).getRowObjectsJS() as Record<string, unknown>[];
      } finally {
        db.close();
      }
      if (rows.length === 0) {
        out(`no documents match${o.reason ? ` reason "${o.reason}"` : ''}`);
        return;
      }
      // Look for the texts where the documents went: rejected/ for drops, output/ for kept or flagged ones.
      const inOutput = o.kept || stage.mode === 'tag';
      const dir = inOutput ? run.output : run.rejected;
      const wanted = new Set(rows.map((r) => String(r.id)));
      const texts = new Map<string, string>();
      if (existsSync(dir) && readdirSync(dir).length > 0) {
        const records = recordReader(manifest.config.document);
        for (const shard of await discoverShards([dir])) {
          for await (const batch of readShard(shard, { records, maxLineBytes: manifest.config.maxLineBytes })) {
            for (const d of batch.docs) if (wanted.has(d.id) && !texts.has(d.id)) texts.set(d.id, d.text);
          }
          if (texts.size === wanted.size) break;
        }
      }
      for (const r of rows) {
        const id = String(r.id);
        out(`\n── ${id}  (${String(r.shard)})${r.reason ? `  reason: ${String(r.reason)}` : ''}`);
        const metrics = Object.entries(r)
          .filter(([k, v]) => !FIXED.has(k) && v !== null && v !== undefined)
          .map(([k, v]) => `${k}=${typeof v === 'number' && !Number.isInteger(v) ? v.toFixed(4) : String(plain(v))}`);
        if (metrics.length > 0) out(`   ${metrics.join('  ')}`);
        const text = texts.get(id);
        if (text !== undefined) out(`    ${excerpt(text, o.chars)}`);
        else out(inOutput ? '    (text not found in output/)' : `    (text not kept: run with rejected: true to keep dropped documents in ${join(runDir, 'rejected')})`);
      }
    });
}
