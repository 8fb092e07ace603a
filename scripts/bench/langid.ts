/**
 * Language-ID accuracy and speed of lid.176.ftz, three ways: the package's raw fastText binding
 * called directly, sift's wrapper (`loadFastTextModel().predict`), and the `language` filter's
 * check (document level; paragraph level shown for cost). Shows that the wrapper and the filter
 * lose nothing in accuracy and little in speed.
 *
 *   npm run bench -- langid      (or: npx tsx scripts/bench/langid.ts [--rounds 5] [--data DIR])
 *
 * Accuracy: the top label equals the gold code. lingua: gold is the ISO 639-1 code (`metadata.lang`).
 * UDHR: gold is the primary subtag of the BCP-47 tag (ISO 639-1 when the language has one, else
 * ISO 639-3); the 10 `und` documents are left out of accuracy (kept in speed). "covered" counts only
 * documents whose gold code is a lid.176 label; "all" counts the others as errors, since lid.176
 * cannot name their language. Codes are compared as they are (no aliases: gold `nb` never equals
 * lid.176's `no`). lid.176 labels are Wikipedia codes, which mostly but not always match ISO: its
 * `als` is Alemannic, UDHR's `als` Tosk Albanian, so that document counts as covered and wrong
 * although lid.176 answers `sq`. Speed: documents per second on one thread, all rounds together.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import language, { paragraphLanguages } from '../../filters/language.js';
import { bundledLidModelPath, loadFastTextModel } from '../../src/classify/fasttext.js';
import type { CoreModule } from '../../src/classify/fasttext-core.js';
import { Doc } from '../../src/core/document.js';
import type { Metrics } from '../../src/core/filter.js';
import { readJsonlFile } from '../../src/io/whole-file.js';

interface Rec {
  id: string;
  text: string;
  metadata: { lang?: string; bcp47?: string; lang_iso6393?: string };
}

interface Item {
  text: string;
  /** Gold code, or null when unknown (`und`). */
  gold: string | null;
}

type Predictor = (text: string) => string | null;

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

const dataDir = resolve(arg('data', join(import.meta.dirname, '..', '..', '..', 'shared', 'data', 'langid')));
const rounds = Number(arg('rounds', '5'));
if (!existsSync(dataDir)) {
  console.warn(`*** SKIPPED language-ID benchmark: ${dataDir} is missing (shared test data not present) ***`);
  process.exit(0);
}

function loadSet(file: string, gold: (r: Rec) => string | null): Item[] {
  return readJsonlFile<Rec>(join(dataDir, file)).map((r) => ({ text: r.text, gold: gold(r) }));
}

const sets: Record<string, Item[]> = {
  lingua: loadSet('lingua_sentences.jsonl.zst', (r) => r.metadata.lang ?? null),
  udhr: loadSet('udhr.jsonl.zst', (r) => {
    const tag = (r.metadata.bcp47 ?? r.metadata.lang_iso6393 ?? 'und').toLowerCase().split('-')[0]!;
    return tag === 'und' ? null : tag;
  }),
};

// (a) the package's binding, called directly: one module instance, the model written to its file
// system, predict on the text with newlines replaced (as the reference tools do), vector freed.
const require = createRequire(import.meta.url);
const coreUrl = pathToFileURL(require.resolve('fasttext.wasm.js/dist/core/fastText.node.js')).href;
const factory = ((await import(coreUrl)) as { default: (o: object) => Promise<CoreModule> }).default;
const core = await factory({ print: () => {}, printErr: () => {} });
const raw = new core.FastText();
core.FS.writeFile('/lid.176.ftz', readFileSync(bundledLidModelPath()));
raw.loadModel('/lid.176.ftz');
const rawPredict: Predictor = (text) => {
  const v = raw.predict(text.includes('\n') ? text.replaceAll('\n', ' ') : text, 1, 0);
  try {
    return v.size() > 0 ? v.get(0)[1].slice('__label__'.length) : null;
  } finally {
    v.delete();
  }
};

// (b) the wrapper
const model = await loadFastTextModel();
const wrapperPredict: Predictor = (text) => model.predict(text, 1, 0)[0]?.label ?? null;

// (c) the filter, document level with default options (records `lang` whatever it decides)
const ctx = { stageName: 'language', stageIndex: 1, resolvePath: (p: string) => resolve(p) };
const docFilter = await language.create(language.options.parse({}), ctx);
const filterPredict: Predictor = (text) => {
  const m: Metrics = {};
  void docFilter.check(Doc.fromText(text), m);
  return typeof m.lang === 'string' ? m.lang : null;
};
// (d) paragraph level (not comparable in accuracy: it votes per line)
const none = new Set<string>();
const paragraphPredict: Predictor = (text) => paragraphLanguages(model, text, none).lang;

const paths: Record<string, Predictor> = {
  'raw binding': rawPredict,
  wrapper: wrapperPredict,
  'filter (document)': filterPredict,
  'filter (paragraph)': paragraphPredict,
};
const labels = new Set(model.labels);

for (const [setName, items] of Object.entries(sets)) {
  const withGold = items.filter((i) => i.gold !== null);
  const covered = withGold.filter((i) => labels.has(i.gold!));
  const missing = [...new Set(withGold.filter((i) => !labels.has(i.gold!)).map((i) => i.gold))].sort();
  console.log(
    `\n${setName}: ${items.length} docs, ${withGold.length} with a gold code, ${covered.length} in languages lid.176 has` +
      ` (${missing.length} codes it lacks: ${missing.slice(0, 12).join(' ')}${missing.length > 12 ? ' ...' : ''})`,
  );
  // Time every path on the same block of documents, block after block, rotating which path goes
  // first, so that changes in machine load (the machine is shared) hit all paths alike.
  const names = Object.keys(paths);
  const seconds: Record<string, number> = Object.fromEntries(names.map((n) => [n, 0]));
  const answers: Record<string, (string | null)[]> = Object.fromEntries(names.map((n) => [n, new Array<string | null>(items.length)]));
  const block = Math.max(1, Math.round(items.length / 50));
  let turn = 0;
  for (let r = 0; r < rounds; r++) {
    for (let b = 0; b < items.length; b += block) {
      const end = Math.min(items.length, b + block);
      for (let j = 0; j < names.length; j++) {
        const name = names[(j + turn) % names.length]!;
        const predict = paths[name]!;
        const out = answers[name]!;
        const t0 = performance.now();
        for (let i = b; i < end; i++) out[i] = predict(items[i]!.text);
        seconds[name]! += (performance.now() - t0) / 1000;
      }
      turn++;
    }
  }
  const speed = (name: string) => (rounds * items.length) / seconds[name]!;
  const rawSpeed = speed('raw binding');
  const rawAnswers = answers['raw binding']!;
  console.log(`${'path'.padEnd(20)} ${'acc covered'.padStart(11)} ${'acc all'.padStart(8)} ${'docs/s'.padStart(9)} ${'vs raw'.padStart(7)}  same top label as raw`);
  for (const name of Object.keys(paths)) {
    const out = answers[name]!;
    let ok = 0;
    let okCovered = 0;
    let same = 0;
    items.forEach((it, i) => {
      if (out[i] === rawAnswers[i]) same++;
      if (it.gold === null || out[i] !== it.gold) return;
      ok++;
      if (labels.has(it.gold)) okCovered++;
    });
    const s = speed(name);
    console.log(
      `${name.padEnd(20)} ${pct(okCovered / covered.length).padStart(11)} ${pct(ok / withGold.length).padStart(8)} ` +
        `${s.toFixed(0).padStart(9)} ${((s / rawSpeed - 1) * 100).toFixed(1).padStart(6)}%  ${same}/${items.length}`,
    );
  }
}
console.log(`\n(${rounds} rounds, paths interleaved in blocks; docs/s on one thread; absolute numbers depend on machine load)`);

function pct(x: number): string {
  return `${(100 * x).toFixed(2)}%`;
}
