/**
 * sift report: the page of a real pipeline run (length, sample, dedup_exact over generated shards)
 * and of a real mix, checked for its content, then opened in headless Chromium.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerReport } from '../../src/cli/commands/report.js';
import { parseConfig } from '../../src/config/load.js';
import { loadRunConfig } from '../../src/config/run-config.js';
import { runLocal } from '../../src/exec/local.js';
import { sqlString, withConnection } from '../../src/stats/duckdb.js';
import { binningOf } from '../../src/stats/report/histograms.js';
import { buildReport, esc, loadReportData, stageThresholds, type ReportData } from '../../src/stats/report/index.js';
import { jsonl, removeTempDirs, tempDir, writeCompressed } from '../helpers/fixtures.js';

const CHROMIUM = process.env.SIFT_CHROMIUM ?? '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) {
  process.stderr.write(`\n*** SKIPPED browser checks of sift report: chromium not installed (${CHROMIUM}; apt-get install -y chromium) ***\n\n`);
}

afterAll(removeTempDirs);

const fmt = (n: number): string => n.toLocaleString('en-US');
const HOSTILE_ID = '<script>alert("id")</script>';
const HOSTILE_BENCHMARK = '<img src="https://example.invalid/x.png" onerror="alert(1)">';

/** Shard `s`: `n` documents of 0-159 distinct words; every 25th is the same boilerplate page. */
function shardDocs(s: number, n: number): { id: string; text: string }[] {
  return Array.from({ length: n }, (_, i) => {
    const words = (i * 37 + s * 11) % 160;
    const text = i % 25 === 3 ? 'the same page again '.repeat(10).trim() : Array.from({ length: words }, (_, k) => `t${s}x${i}w${k}`).join(' ');
    return { id: `s${s}-${i}`, text };
  });
}

interface Page {
  run: string;
  file: string;
  html: string;
  data: ReportData;
}

async function report(run: string): Promise<Page> {
  const html = await buildReport(run);
  const file = join(run, 'report.html');
  writeFileSync(file, html);
  return { run, file, html, data: await loadReportData(run) };
}

/** The inside of `<section id="...">`, or null. */
function section(html: string, id: string): string | null {
  const m = new RegExp(`<section id="${id}">([\\s\\S]*?)</section>`).exec(html);
  return m ? m[1]! : null;
}

/** The `<figure>` whose markup contains `needle`. */
function figureWith(html: string, needle: string): string | undefined {
  return html.split('<figure class="chart">').slice(1).find((f) => f.includes(needle));
}

let pipeline: Page;
let extended: Page;
let mix: Page;

beforeAll(async () => {
  const dir = tempDir();
  for (let s = 0; s < 3; s++) writeCompressed(join(dir, `in-${s}.jsonl.zst`), jsonl(shardDocs(s, 300)) + (s === 2 ? '{"id": "broken", "text": \n' : ''));
  const config = join(dir, 'pipe.yaml');
  writeFileSync(
    config,
    'inputs: ["in-*.jsonl.zst"]\nrun_dir: run\noutput:\n  tokenizer: whitespace\nstages:\n  - type: length\n    min_words: 22\n  - type: sample\n    rate: 0.8\n    seed: 2\n  - type: dedup_exact\n',
  );
  await runLocal(parseConfig(readFileSync(config, 'utf8'), config, {}), { workers: 2 });
  pipeline = await report(join(dir, 'run'));

  // The same run with a duplicate-cluster and a decontamination report (one row per hit), written
  // as those steps write them, holding text that must be escaped.
  const copy = join(dir, 'run2');
  await runLocal(parseConfig(readFileSync(config, 'utf8'), config, { runDir: copy }), { workers: 1 });
  await withConnection(async (con) => {
    await con.run(
      `COPY (SELECT * FROM (VALUES ('dedup_exact', 1::BIGINT, 3, ${sqlString(HOSTILE_ID)}, ['a&b', 'c']), ('dedup_exact', 2::BIGINT, 2, 'k2', ['r2']), ('dedup_exact', 3::BIGINT, 40, 'k3', ['r3', 'r4', 'r5', 'r6', 'r7']))
         t(stage, cluster_id, size, kept_id, removed_ids)) TO ${sqlString(join(copy, 'stats', 'dedup_clusters.parquet'))} (FORMAT parquet)`,
    );
    await con.run(
      `COPY (SELECT * FROM (VALUES ('mmlu', 'test', 1, 'd1'), ('mmlu', 'test', 1, 'd2'), ('mmlu', 'test', 2, 'd2'), (${sqlString(HOSTILE_BENCHMARK)}, 'dev', 7, 'd3'))
         t(benchmark, split, item, id)) TO ${sqlString(join(copy, 'stats', 'decon.parquet'))} (FORMAT parquet)`,
    );
  });
  extended = await report(copy);

  writeFileSync(
    join(dir, 'mix.yaml'),
    'run_dir: mixrun\ntokenizer: whitespace\nsources:\n  - name: web\n    inputs: ["in-0.jsonl.zst", "in-1.jsonl.zst"]\n    weight: 3\n  - name: code\n    inputs: ["in-2.jsonl.zst"]\n    weight: 1\n',
  );
  await runLocal(loadRunConfig(join(dir, 'mix.yaml')), { workers: 2 });
  mix = await report(join(dir, 'mixrun'));
}, 120_000);

describe('sift report: a pipeline run', () => {
  it('shows the totals, the funnel and the drop reasons with the run\'s numbers', () => {
    const { html, data } = pipeline;
    const t = data.manifest.totals!;
    expect(t).toMatchObject({ read: 901, unreadable: 1, conserved: true });
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain(`read ${fmt(t.read)} = kept ${fmt(t.kept)} + dropped ${fmt(t.dropped)} + unreadable 1 (every document accounted for)`);
    for (const id of ['pipeline', 'funnel', 'reasons', 'metrics', 'errors']) expect(section(html, id), id).not.toBeNull();
    for (const id of ['languages', 'dedup', 'decon', 'mix']) expect(section(html, id), id).toBeNull();

    const funnel = section(html, 'funnel')!;
    expect(data.funnel.map((r) => r.stage)).toEqual(['read', 'length', 'sample', 'dedup_exact', 'write']);
    for (const r of data.funnel) {
      expect(funnel).toContain(`<td class="num">${fmt(r.docsIn)}</td>`);
      expect(funnel).toContain(`<td class="num">${fmt(r.charsIn)}</td>`);
    }
    const tokens = data.funnel.find((r) => r.mode === 'write')!.tokens!;
    expect(tokens).toBeGreaterThan(0);
    expect(funnel).toContain(`<td class="num">${fmt(tokens)}</td>`);
    expect(html).toContain(`<span>tokens written</span><b>${fmt(tokens)}</b>`);
    expect(funnel.match(/<svg/g)).toHaveLength(2);

    const reasons = section(html, 'reasons')!;
    const dropped = data.funnel.filter((r) => r.mode === 'drop').reduce((n, r) => n + r.docsDropped, 0);
    expect(data.reasons.map((r) => r.reason).sort()).toEqual(['exact_duplicate', 'invalid_json', 'sampled_out', 'too_few_words']);
    for (const r of data.reasons) {
      const share = `${((100 * r.docs) / r.stageDocsIn).toFixed(1)}%`;
      expect(reasons).toMatch(new RegExp(`<td>${r.stage}</td><td>${r.mode}</td><td>${r.reason}</td><td class="num">${fmt(r.docs)}</td><td class="num">${share}</td>`));
      if (r.mode === 'drop') expect(reasons).toContain(`${((100 * r.docs) / dropped).toFixed(1)}%`);
    }
    expect(reasons.match(/<svg/g)).toHaveLength(1);

    const errors = section(html, 'errors')!;
    expect(errors).toContain('<td>invalid_json</td><td class="num">1</td>');
    expect(errors).toContain('in-2.jsonl.zst');
    // no script, no external resource, and a policy that forbids loading any
    expect(html).not.toMatch(/<script|<link|<img|\bsrc=|url\(|@import/i);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'"`);
  });

  it('draws a histogram per metric per stage, binned in SQL, with the min_words threshold where kept and dropped part', () => {
    const { html, data } = pipeline;
    expect(data.histograms.map((h) => `${h.stage}.${h.metric}`)).toEqual(['length.chars', 'length.words', 'sample.sample_u', 'write.tokens']);
    const words = data.histograms.find((h) => h.metric === 'words')!;
    expect(words.thresholds).toEqual([{ option: 'min_words', metric: 'words', value: 22, side: 'min' }]);
    const length = data.funnel.find((r) => r.stage === 'length')!;
    const tooFew = data.reasons.find((r) => r.reason === 'too_few_words')!.docs;
    expect(words.bins.reduce((n, b) => n + b.kept + b.dropped, 0)).toBe(length.docsIn);
    expect(words.bins.reduce((n, b) => n + b.dropped, 0)).toBe(tooFew);
    expect(words.count).toBe(length.docsIn);
    // the bins are aligned on the threshold: each lies wholly on one side of it
    for (const b of words.bins) {
      if (b.dropped > 0) expect(b.x1).toBeLessThanOrEqual(22 + 1e-9);
      if (b.kept > 0) expect(b.x0).toBeGreaterThanOrEqual(22 - 1e-9);
    }
    const sampleU = data.histograms.find((h) => h.metric === 'sample_u')!;
    expect(sampleU.thresholds).toEqual([{ option: 'rate', metric: 'sample_u', value: 0.8, side: 'max' }]);
    expect(data.histograms.find((h) => h.metric === 'chars')!.thresholds).toEqual([]);

    const metrics = section(html, 'metrics')!;
    expect(metrics.match(/<svg/g)).toHaveLength(4);
    const fig = figureWith(metrics, 'min_words 22')!;
    expect(fig).toBeDefined();
    expect(fig).toMatch(/<g [^>]*stroke-dasharray="5 3"[^>]*aria-label="rule"><line /);
    expect(fig).toContain('threshold: min_words = 22 (below: dropped)');
    expect(figureWith(metrics, 'rate 0.8')).toContain('stroke-dasharray="5 3"');
    expect(figureWith(metrics, '<b>chars</b>')).toContain('no threshold known for this metric');
    expect(figureWith(metrics, '<b>chars</b>')).not.toContain('stroke-dasharray');
  });

  it('shows duplicate clusters and decontamination per benchmark when their reports exist, escaping their text', () => {
    const { html, data } = extended;
    expect(data.dedup!.stages).toEqual([
      { stage: 'dedup_exact', clusters: 3, docs: 45, removed: 42, largest: 40, sizes: [{ lo: 2, hi: 2, clusters: 1 }, { lo: 3, hi: 3, clusters: 1 }, { lo: 33, hi: 64, clusters: 1 }] },
    ]);
    const dedup = section(html, 'dedup')!;
    expect(dedup).toContain('<td>dedup_exact</td><td class="num">3</td><td class="num">45</td><td class="num">42</td><td class="num">40</td>');
    expect(dedup).toContain('<svg');
    expect(dedup).toContain(`<td>${esc(HOSTILE_ID)}</td>`);
    expect(dedup).toContain('<td>a&#38;b, c</td>');

    const decon = section(html, 'decon')!;
    expect(decon).toContain('<td>mmlu</td><td>test</td><td class="num">2</td><td class="num">2</td>');
    expect(decon).toContain(`<td>${esc(HOSTILE_BENCHMARK)}</td><td>dev</td><td class="num">1</td><td class="num">1</td>`);
    expect(html).not.toContain(HOSTILE_ID);
    expect(html).not.toContain(HOSTILE_BENCHMARK);
    expect(html).not.toMatch(/<script|<img/i);
  });
});

describe('sift report: a mix run', () => {
  it('shows requested against achieved shares and tokens per source', () => {
    const { html, data } = mix;
    expect(data.mix!.map((r) => r.source)).toEqual(['code', 'web']);
    const m = section(html, 'mix')!;
    for (const r of data.mix!) {
      expect(m).toContain(`<td>${r.source}</td>`);
      expect(m).toContain(`<td class="num">${fmt(r.tokensTaken)}</td>`);
      expect(m).toContain(`${(100 * r.requestedShare).toFixed(1)}%`);
      expect(m).toContain(`${(100 * r.achievedShare).toFixed(1)}%`);
    }
    expect(m.match(/<svg/g)).toHaveLength(1);
    const total = data.mix!.reduce((n, r) => n + r.tokensTaken, 0);
    expect(html).toContain(`<span>tokens in the mix</span><b>${fmt(total)}</b>`);
    expect(section(html, 'errors')).toContain('<td>invalid_json</td>');
    for (const id of ['pipeline', 'funnel', 'metrics']) expect(section(html, id), id).toBeNull();
  });
});

describe('sift report: the command', () => {
  it('writes the page where -o says, and refuses a folder that holds no run', async () => {
    const out = join(tempDir(), 'sub', 'page.html');
    const program = new Command('sift').exitOverride();
    registerReport(program);
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      await program.parseAsync(['node', 'sift', 'report', pipeline.run, '-o', out]);
      expect(String(write.mock.calls[0]?.[0])).toMatch(/^report: .*page\.html \(\d+ KiB, [\d.]+ s\)\n$/);
    } finally {
      write.mockRestore();
    }
    expect(readFileSync(out, 'utf8')).toContain('<section id="funnel">');
    await expect(program.parseAsync(['node', 'sift', 'report', tempDir()])).rejects.toThrow(/not a run directory/);
  });
});

describe('thresholds and bins', () => {
  it('maps each filter\'s options to lines on its metrics', () => {
    expect(stageThresholds('length', { min_chars: 10, max_words: 500 })).toEqual([
      { option: 'min_chars', metric: 'chars', value: 10, side: 'min' },
      { option: 'max_words', metric: 'words', value: 500, side: 'max' },
    ]);
    const gopher = stageThresholds('gopher_quality', { min_doc_words: 50, max_doc_words: 100000, min_avg_word_length: 3, max_avg_word_length: null, max_symbol_word_ratio: 0.1, min_stop_words: 2 });
    expect(gopher.map((t) => `${t.option}>${t.metric}:${t.side}`)).toEqual([
      'min_doc_words>gopher_non_symbol_words:min',
      'max_doc_words>gopher_non_symbol_words:max',
      'min_avg_word_length>gopher_avg_word_len:min',
      'max_symbol_word_ratio>gopher_hash_ratio:max',
      'max_symbol_word_ratio>gopher_ellipsis_ratio:max',
      'min_stop_words>gopher_stop_words:min',
    ]);
    expect(stageThresholds('gopher_repetition', { top_n_grams: [[2, 0.2]], dup_n_grams: [[5, 0.15]] })).toEqual([
      { option: 'top_n_grams[2]', metric: 'gopher_rep_top_2_gram_frac', value: 0.2, side: 'max' },
      { option: 'dup_n_grams[5]', metric: 'gopher_rep_dup_5_gram_frac', value: 0.15, side: 'max' },
    ]);
    expect(stageThresholds('fasttext_classifier', { label: '__label__hq', threshold: 0.3, keep: 'above' })).toEqual([{ option: 'threshold', metric: 'hq_score', value: 0.3, side: 'min' }]);
    expect(stageThresholds('fasttext_classifier', { label: 'hq', metric: 'Quality Score', threshold: 0.9, keep: 'below' })[0]).toMatchObject({ metric: 'quality_score', side: 'max' });
    expect(stageThresholds('language', { threshold: 0.65, level: 'document' })).toEqual([{ option: 'threshold', metric: 'lang_score', value: 0.65, side: 'min' }]);
    expect(stageThresholds('language', { threshold: 0.65, min_fraction: 0.5, level: 'paragraph' })[0]).toMatchObject({ metric: 'lang_fraction', value: 0.5 });
    expect(stageThresholds('fineweb_quality', { line_punct_thr: 0.12, char_duplicates_ratio: 0.01 }).map((t) => t.metric)).toEqual(['fineweb_line_punct_ratio', 'fineweb_char_dup_ratio']);
    expect(stageThresholds('c4_quality', { min_num_sentences: -1 })).toEqual([]);
    expect(stageThresholds('c4_quality', { min_num_sentences: 5 })[0]).toMatchObject({ metric: 'c4_sentences', side: 'min' });
    expect(stageThresholds('no_such_type', { threshold: 1 })).toEqual([]);
  });

  it('bins small integer ranges by value, skewed metrics in log space, the rest in round steps aligned on a threshold', () => {
    expect(binningOf({ stage: 's', min: 0, max: 12, median: 0, integer: true })).toMatchObject({ lo: -0.5, width: 1, n: 13, log: false });
    const log = binningOf({ stage: 's', min: 0, max: 100000, median: 300, integer: true }, 50);
    expect(log.log).toBe(true);
    expect(Math.abs((Math.log1p(50) - log.lo) / log.width - Math.round((Math.log1p(50) - log.lo) / log.width))).toBeLessThan(1e-9);
    const lin = binningOf({ stage: 's', min: 0, max: 1, median: 0.5, integer: false }, 0.81);
    expect(lin.width).toBe(0.025);
    expect(Math.abs((0.81 - lin.lo) / lin.width - Math.round((0.81 - lin.lo) / lin.width))).toBeLessThan(1e-9);
    expect(lin.lo + lin.n * lin.width).toBeGreaterThanOrEqual(1);
  });
});

describe.skipIf(!hasChromium)('sift report in headless Chromium', () => {
  it('renders every page without errors, failed or external requests, with charts of non-zero size', async () => {
    const { chromium } = await import('playwright-core');
    const userDataDir = mkdtempSync(join(tmpdir(), 'sift-chromium-'));
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1400, height: 900 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    try {
      for (const p of [pipeline, extended, mix]) {
        const page = await context.newPage();
        const problems: string[] = [];
        const requests: string[] = [];
        page.on('console', (m) => {
          if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
        });
        page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
        page.on('requestfailed', (r) => problems.push(`failed request: ${r.url()}`));
        page.on('request', (r) => requests.push(r.url()));
        const url = pathToFileURL(p.file).href;
        await page.goto(url, { waitUntil: 'load' });
        expect(problems, p.run).toEqual([]);
        expect(requests, p.run).toEqual([url]);
        const sizes = await page.$$eval('figure.chart > svg', (svgs) => svgs.map((s) => s.getBoundingClientRect()).map((r) => [r.width, r.height]));
        expect(sizes.length, p.run).toBe((p.html.match(/<figure class="chart"><svg/g) ?? []).length);
        expect(sizes.length).toBeGreaterThan(0);
        for (const [w, h] of sizes) {
          expect(w).toBeGreaterThan(100);
          expect(h).toBeGreaterThan(50);
        }
        if (p === pipeline) {
          // On screen, the dashed min_words line separates the dropped bars (left) from the kept ones.
          const layout = await page.$$eval('figure.chart', (figs) => {
            const fig = figs.find((f) => f.textContent?.includes('min_words 22'))!;
            const line = fig.querySelector('g[aria-label="rule"][stroke-dasharray] line')!.getBoundingClientRect();
            const rects = Array.from(fig.querySelectorAll('g[aria-label="rect"] rect')).map((r) => ({ fill: r.getAttribute('fill'), box: r.getBoundingClientRect() }));
            return { x: line.left + line.width / 2, rects: rects.map((r) => ({ fill: r.fill, left: r.box.left, right: r.box.right, height: r.box.height })) };
          });
          const dropped = layout.rects.filter((r) => r.fill === '#e45756');
          const kept = layout.rects.filter((r) => r.fill === '#4c78a8');
          expect(dropped.length).toBeGreaterThan(0);
          expect(kept.length).toBeGreaterThan(0);
          for (const r of dropped) expect(r.right).toBeLessThanOrEqual(layout.x + 1);
          for (const r of kept) expect(r.left).toBeGreaterThanOrEqual(layout.x - 1);
          expect(Math.max(...layout.rects.map((r) => r.height))).toBeGreaterThan(20);
        }
        await page.close();
      }
    } finally {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    }
  });
});
