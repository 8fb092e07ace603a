/**
 * Parity of the four reference quality filters with the reference implementation's decisions on the
 * dev corpus (../shared/data/parity/dev, see its PROVENANCE.md).
 *
 *   npx tsx scripts/parity/filters.ts [--reference-tokens] [--limit N] [--examples K] [--passes N]
 *
 * Runs gopher_quality, gopher_repetition, c4_quality and fineweb_quality in tag mode (each sees the
 * original text) over corpus/dev and prints, per filter: the share of documents whose keep/drop
 * agrees with the reference, the share whose reason agrees too, and the disagreements counted by
 * (ours, reference) reason pair with example ids. For c4_quality it also compares the rewritten
 * text of documents both sides keep. With --reference-tokens the reference's word tokens are used
 * instead of ours (C4 still splits sentences with ours), which checks the filter logic on its own.
 * Speed: then, on warm code, documents per second of the four filters together (tokenizer
 * included), of the tokenizer and of each filter's own logic (`--passes N`, best of 3 by default). Exits 1 when a filter is below 99.5% keep/drop or 99% reason agreement.
 */
import { performance } from 'node:perf_hooks';
import { Doc } from '../../src/core/document.js';
import type { Filter, FilterDefinition, Verdict } from '../../src/core/filter.js';
import { readJsonlFile } from '../../src/io/whole-file.js';
import { splitWords } from '../../src/text/tokenizer.js';
import c4Quality from '../../filters/c4_quality.js';
import fineWebQuality from '../../filters/fineweb_quality.js';
import gopherQuality from '../../filters/gopher_quality.js';
import gopherRepetition from '../../filters/gopher_repetition.js';
import { SHARED_DATA } from '../../test/helpers/shared-data.js';

interface CorpusDoc {
  id: string;
  text?: string;
}
interface RefDecision {
  keep: boolean | null;
  reason: string | null;
  error?: string;
}
type RefRow = { id: string } & Record<string, RefDecision>;

const FILTERS = ['gopher_quality', 'gopher_repetition', 'fineweb_quality', 'c4_quality'] as const;
type FilterName = (typeof FILTERS)[number];
const DEFINITIONS: Record<FilterName, FilterDefinition> = {
  gopher_quality: gopherQuality,
  gopher_repetition: gopherRepetition,
  c4_quality: c4Quality,
  fineweb_quality: fineWebQuality,
};

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const useRefTokens = process.argv.includes('--reference-tokens');
const limit = Number(arg('--limit') ?? Infinity);
const maxExamples = Number(arg('--examples') ?? 3);
const dev = (...p: string[]): string => [SHARED_DATA, ...p].join('/');

function load(): { docs: CorpusDoc[]; refs: RefRow[]; c4Text: Map<string, string>; tokens: string[][] | null } {
  const docs: CorpusDoc[] = [];
  for (let s = 0; s < 4; s++) docs.push(...readJsonlFile<CorpusDoc>(dev('corpus', 'dev', `dev-000${s}.jsonl.zst`)));
  const refs = readJsonlFile<RefRow>(dev('parity', 'dev', 'filters.jsonl.zst'));
  const c4Text = new Map<string, string>();
  for (const r of readJsonlFile<{ id: string; c4_text: string }>(dev('parity', 'dev', 'c4_text.jsonl.zst'))) c4Text.set(r.id, r.c4_text);
  let tokens: string[][] | null = null;
  if (useRefTokens) tokens = readJsonlFile<{ id: string; tokens: string[] }>(dev('parity', 'dev', 'tokens.jsonl.zst')).map((t, i) => {
    if (t.id !== docs[i]?.id) throw new Error(`tokens.jsonl.zst row ${i + 1} is ${t.id}, corpus has ${docs[i]?.id}`);
    return t.tokens;
  });
  if (refs.length !== docs.length) throw new Error(`filters.jsonl.zst has ${refs.length} rows, corpus ${docs.length}`);
  refs.forEach((r, i) => {
    if (r.id !== docs[i]!.id) throw new Error(`filters.jsonl.zst row ${i + 1} is ${r.id}, corpus has ${docs[i]!.id}`);
  });
  return { docs, refs, c4Text, tokens };
}

interface Tally {
  n: number;
  keepAgree: number;
  reasonAgree: number;
  refErrors: Map<string, number>;
  pairs: Map<string, { count: number; ids: string[] }>;
}

const label = (keep: boolean, reason: string | null | undefined): string => (keep ? 'keep' : (reason ?? '?'));

async function main(): Promise<void> {
  const { docs, refs, c4Text, tokens } = load();
  const n = Math.min(docs.length, limit);
  const filters = {} as Record<FilterName, Filter>;
  const ctx = { stageName: 'parity', stageIndex: 0, resolvePath: (p: string) => p };
  for (const name of FILTERS) {
    const def = DEFINITIONS[name];
    filters[name] = await def.create(def.options.parse({}), { ...ctx, stageName: name });
  }
  const tallies = {} as Record<FilterName, Tally>;
  for (const name of FILTERS) tallies[name] = { n: 0, keepAgree: 0, reasonAgree: 0, refErrors: new Map(), pairs: new Map() };
  const c4 = { compared: 0, same: 0, ids: [] as string[] };

  for (let i = 0; i < n; i++) {
    const id = docs[i]!.id;
    const doc = Doc.fromText(docs[i]!.text ?? '', id);
    if (tokens !== null) doc.memo('words', () => tokens[i]!);
    const verdicts = {} as Record<FilterName, Verdict>;
    // tag mode: C4 (which may rewrite) runs last, so every filter judges the original text
    for (const name of FILTERS) verdicts[name] = (await filters[name].check(doc, {})) as Verdict;

    for (const name of FILTERS) {
      const ref = refs[i]![name]!;
      const ours = verdicts[name];
      const tally = tallies[name];
      if (ref.keep === null) {
        const key = `${label(ours === undefined, ours)} (reference: ${ref.error ?? 'error'})`;
        tally.refErrors.set(key, (tally.refErrors.get(key) ?? 0) + 1);
        continue;
      }
      tally.n++;
      const keepSame = (ours === undefined) === ref.keep;
      const reasonSame = keepSame && (ref.keep || ours === ref.reason);
      if (keepSame) tally.keepAgree++;
      if (reasonSame) tally.reasonAgree++;
      else {
        const key = `${label(ours === undefined, ours)} | ${label(ref.keep, ref.reason)}`;
        const p = tally.pairs.get(key) ?? { count: 0, ids: [] };
        p.count++;
        if (p.ids.length < maxExamples) p.ids.push(id);
        tally.pairs.set(key, p);
      }
    }
    if (verdicts.c4_quality === undefined && refs[i]!.c4_quality!.keep) {
      const want = c4Text.get(id);
      if (want !== undefined) {
        c4.compared++;
        if (doc.text === want) c4.same++;
        else if (c4.ids.length < maxExamples) c4.ids.push(id);
      }
    }
  }

  const pct = (a: number, b: number): string => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(2)}%`);
  console.log(`parity of the quality filters with the reference on ${n} dev docs (${useRefTokens ? 'reference tokens' : 'our tokenizer'})\n`);
  let ok = true;
  for (const name of FILTERS) {
    const t = tallies[name];
    const keepShare = t.keepAgree / t.n;
    const reasonShare = t.reasonAgree / t.n;
    if (keepShare < 0.995 || reasonShare < 0.99) ok = false;
    console.log(`${name}: keep/drop agree ${pct(t.keepAgree, t.n)}, reason agrees ${pct(t.reasonAgree, t.n)} (of ${t.n})`);
    for (const [k, v] of t.refErrors) console.log(`  reference error, not counted: ${v} docs, ours ${k}`);
    const pairs = [...t.pairs].sort((a, b) => b[1].count - a[1].count);
    for (const [k, v] of pairs) console.log(`  ours | reference = ${k}: ${v.count}  e.g. ${v.ids.join(', ')}`);
  }
  console.log(`\nc4_quality rewritten text equal to the reference's: ${pct(c4.same, c4.compared)} (of ${c4.compared} docs both keep)`);
  if (c4.ids.length > 0) console.log(`  differing e.g. ${c4.ids.join(', ')}`);
  await reportSpeed(docs.slice(0, n), tokens, filters);
  if (!ok) {
    console.log('\nbelow target (99.5% keep/drop, 99% reason) for at least one filter');
    process.exitCode = 1;
  }
}

/**
 * Speed on warm code: passes over the documents as a worker makes them (a Doc, the words, the four
 * filters), timed per part by the wall clock; the best pass counts. Also the process CPU time of
 * the best pass (it includes the engine's helper threads, such as the garbage collector's).
 */
async function reportSpeed(docs: CorpusDoc[], tokens: string[][] | null, filters: Record<FilterName, Filter>): Promise<void> {
  const passes = Number(arg('--passes') ?? 3);
  let best: { wall: number; cpu: number; words: number; per: Record<FilterName, number> } | null = null;
  for (let pass = 0; pass < passes; pass++) {
    const per = Object.fromEntries(FILTERS.map((f) => [f, 0])) as Record<FilterName, number>;
    let words = 0;
    const cpu0 = process.cpuUsage();
    const wall0 = performance.now();
    for (let i = 0; i < docs.length; i++) {
      const doc = Doc.fromText(docs[i]!.text ?? '', docs[i]!.id);
      let t0 = performance.now();
      if (tokens !== null) doc.memo('words', () => tokens[i]!);
      else doc.memo('words', splitWords);
      let t1 = performance.now();
      words += t1 - t0;
      for (const name of FILTERS) {
        await filters[name].check(doc, {});
        t0 = performance.now();
        per[name] += t0 - t1;
        t1 = t0;
      }
    }
    const wall = performance.now() - wall0;
    const cpu = process.cpuUsage(cpu0);
    if (best === null || wall < best.wall) best = { wall, cpu: (cpu.user + cpu.system) / 1000, words, per };
  }
  const rate = (ms: number): number => Math.round(docs.length / (ms / 1000));
  const b = best!;
  const logic = FILTERS.reduce((a, f) => a + b.per[f], 0);
  console.log(
    `\nspeed, best of ${passes} warm passes: ${rate(b.wall)} docs/s for the four filters together` +
      `${tokens === null ? ', tokenizer included' : ' (tokens given)'} (wall clock; ${rate(b.cpu)} docs/s of process CPU time)`,
  );
  console.log(
    `  ${tokens === null ? `tokenizer ${rate(b.words)} docs/s; ` : ''}filters' own logic ${rate(logic)} docs/s: ` +
      FILTERS.map((f) => `${f} ${rate(b.per[f])}`).join(', '),
  );
}

await main();
