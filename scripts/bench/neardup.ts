/**
 * Precision and recall of MinHash duplicate PAIRS on labelled near-duplicates, at the default
 * setting (word 5-grams, 14 bands x 8 rows, 64-bit) and a few others. Signatures come from
 * `MinhashSigner` in this process; a pair is predicted when any band of the two signatures is
 * identical, the pipeline's rule (its buckets step keys each band by the same rows x 2 words). A
 * document with fewer than n words (characters) has no signature and is never paired.
 *
 *   npm run bench -- neardup          (or: npx tsx scripts/bench/neardup.ts [--data DIR])
 *
 * Data (../shared/data, see the PROVENANCE.md files there):
 *  (a) corpus/dev + neardup_truth.jsonl: 300 synthetic near-duplicates (id, orig_id). Positives are
 *      the 300 labelled pairs. Negatives are all other pairs among the documents these pairs involve
 *      whose chains start at different originals (root_id); pairs within one chain that are not
 *      labelled (a copy of a copy and the first original) are left out of both. Natural duplicates
 *      among the originals count as false positives, so precision here is a lower bound. Recall is
 *      given by the file's approx_jaccard_5gram bands, directly (the pair shares a band) and as
 *      "same cluster" (union-find over the pairs predicted on the whole dev corpus), which is what
 *      parity/dev/summary.json reports for the reference.
 *  (b) neardup/cs_*: Clough & Stevenson answers vs their task's original; near-duplicate = cut or
 *      light, not = heavy or non. Pairs are predicted among all 100 documents; precision counts the
 *      labelled pairs only (answer-answer pairs are unlabelled and shown apart).
 *  (c) neardup/msrp_*: paraphrase pairs as a negative control: a paraphrase is not a near-duplicate,
 *      so every predicted pair is a false positive (shown with its approximate 5-gram Jaccard).
 *  (d) neardup/udhr_variant_pairs: versions of the UDHR in one language; positive = approximate
 *      5-gram Jaccard >= 0.5 (spelling reforms, near-identical editions), negative below.
 * The reference's figures are the `datatrove_same_cluster` fields of the files (same cluster over
 * all documents of the set) and parity/dev/summary.json.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MinhashSigner, type MinhashSignerOptions } from '../../src/dedup/minhash/index.js';
import { readJsonlFile } from '../../src/io/whole-file.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}

const dataDir = resolve(arg('data', join(import.meta.dirname, '..', '..', '..', 'shared', 'data')));
const devDir = join(dataDir, 'corpus', 'dev');
const ndDir = join(dataDir, 'neardup');
const missing = [devDir, ndDir].filter((d) => !existsSync(d));
if (missing.length > 0) {
  console.warn(`*** SKIPPED near-duplicate benchmark: ${missing.join(', ')} missing (shared test data not present) ***`);
  process.exit(0);
}

interface Setting {
  name: string;
  options: MinhashSignerOptions;
}

const SETTINGS: Setting[] = [
  { name: 'word5 14x8 (default)', options: {} },
  { name: 'word5 20x5', options: { numBuckets: 20, hashesPerBucket: 5 } },
  { name: 'word5 9x13', options: { numBuckets: 9, hashesPerBucket: 13 } },
  { name: 'word3 14x8', options: { nGrams: 3 } },
  { name: 'word5 14x8 32-bit', options: { precision: 32 } },
  { name: 'char5 14x8', options: { shingle: 'char' } },
];

/** Pairs predicted among `texts` (key i * n + j, i < j) and the clusters they make. */
interface Prediction {
  n: number;
  pairs: Set<number>;
  /** Cluster root of each text (union-find over the pairs). */
  root: Int32Array;
  signed: number;
  seconds: number;
}

function predict(texts: readonly string[], options: MinhashSignerOptions): Prediction {
  const signer = new MinhashSigner(options);
  const bands = signer.config.numBuckets;
  const kw = 2 * signer.config.hashesPerBucket;
  const t0 = performance.now();
  const sigs = texts.map((t) => signer.sign(t));
  const seconds = (performance.now() - t0) / 1000;
  const n = texts.length;
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (x: number): number => {
    while (parent[x] !== x) x = parent[x] = parent[parent[x]!]!;
    return x;
  };
  const pairs = new Set<number>();
  for (let b = 0; b < bands; b++) {
    const buckets = new Map<string, number[]>();
    sigs.forEach((sig, i) => {
      if (sig === null) return;
      const key = sig.subarray(b * kw, (b + 1) * kw).join(',');
      const list = buckets.get(key);
      if (list) list.push(i);
      else buckets.set(key, [i]);
    });
    for (const list of buckets.values()) {
      for (let x = 0; x < list.length; x++) {
        for (let y = x + 1; y < list.length; y++) pairs.add(list[x]! * n + list[y]!);
        if (x > 0) parent[find(list[x]!)] = find(list[0]!);
      }
    }
  }
  const root = Int32Array.from({ length: n }, (_, i) => find(i));
  return { n, pairs, root, signed: sigs.filter((s) => s !== null).length, seconds };
}

const hasPair = (p: Prediction, i: number, j: number): boolean => p.pairs.has(Math.min(i, j) * p.n + Math.max(i, j));
const sameCluster = (p: Prediction, i: number, j: number): boolean => p.root[i] === p.root[j];
/** The band-collision threshold (1/b)^(1/r): where the S-curve 1 - (1 - J^r)^b crosses 1/2 roughly. */
const threshold = (o: MinhashSignerOptions): number => (1 / (o.numBuckets ?? 14)) ** (1 / (o.hashesPerBucket ?? 8));
const pct = (a: number, b: number): string => (b === 0 ? '-' : `${((100 * a) / b).toFixed(1)}%`);
const frac = (a: number, b: number): string => `${a}/${b}`;
const row = (cells: readonly string[], widths: readonly number[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' ');

interface Summary {
  dev: string;
  cs: string;
  msrp: string;
  udhr: string;
}
const summary = new Map<string, Summary>(SETTINGS.map((s) => [s.name, { dev: '', cs: '', msrp: '', udhr: '' }]));

// ---------------------------------------------------------------- (a) synthetic near-dups of dev docs
interface DevDoc {
  id: string;
  text: string;
}
interface Truth {
  id: string;
  orig_id: string;
  root_id: string;
  approx_jaccard_5gram: number;
}
const JBANDS: [string, number, number][] = [
  ['>=0.9', 0.9, 2],
  ['0.8-0.9', 0.8, 0.9],
  ['0.7-0.8', 0.7, 0.8],
  ['0.5-0.7', 0.5, 0.7],
  ['<0.5', -1, 0.5],
];
const bandOf = (j: number): number => JBANDS.findIndex(([, lo, hi]) => j >= lo && j < hi);

const devDocs: DevDoc[] = [];
for (let s = 0; s < 4; s++) devDocs.push(...readJsonlFile<DevDoc>(join(devDir, `dev-${String(s).padStart(4, '0')}.jsonl.zst`)));
const devIndex = new Map(devDocs.map((d, i) => [d.id, i]));
const truth = readJsonlFile<Truth>(join(devDir, 'neardup_truth.jsonl'));
const rootOf = new Map<string, string>(truth.map((t) => [t.id, t.root_id]));
const involved = [...new Set(truth.flatMap((t) => [t.id, t.orig_id]))].map((id) => devIndex.get(id)!);
const labelled = new Set(truth.map((t) => pairKey(devIndex.get(t.id)!, devIndex.get(t.orig_id)!)));
function pairKey(i: number, j: number): number {
  return Math.min(i, j) * devDocs.length + Math.max(i, j);
}
const devRoot = (i: number): string => rootOf.get(devDocs[i]!.id) ?? devDocs[i]!.id;
let negatives = 0;
for (let x = 0; x < involved.length; x++) for (let y = x + 1; y < involved.length; y++) if (devRoot(involved[x]!) !== devRoot(involved[y]!)) negatives++;

const bandCounts = JBANDS.map((_, b) => truth.filter((t) => bandOf(t.approx_jaccard_5gram) === b).length);
console.log(`\n(a) synthetic near-duplicates of corpus/dev: ${truth.length} labelled pairs over ${involved.length} documents; ${negatives.toLocaleString('en-US')} negative pairs (different originals); pairs predicted on all ${devDocs.length.toLocaleString('en-US')} dev documents`);
const wA = [22, 5, 8, 9, 5, 8, 10, 10, 10, 10, 10];
const header = ['setting', 'thr', 'P', 'TP/FP', 'rel', 'R', ...JBANDS.map(([n], b) => `${n} (${bandCounts[b]})`)];
const direct: string[] = [];
const cluster: string[] = [];
const fpExamples: string[] = [];
for (const s of SETTINGS) {
  const p = predict(
    devDocs.map((d) => d.text),
    s.options,
  );
  let tp = 0;
  let fp = 0;
  let related = 0;
  for (let x = 0; x < involved.length; x++) {
    for (let y = x + 1; y < involved.length; y++) {
      const [i, j] = [involved[x]!, involved[y]!];
      if (!hasPair(p, i, j)) continue;
      if (labelled.has(pairKey(i, j))) tp++;
      else if (devRoot(i) === devRoot(j)) related++;
      else {
        fp++;
        if (s === SETTINGS[0]) fpExamples.push(`${devDocs[i]!.id} ~ ${devDocs[j]!.id}`);
      }
    }
  }
  const byBand = (test: (i: number, j: number) => boolean): { hit: number; cells: string[] } => {
    const hits = JBANDS.map(() => 0);
    for (const t of truth) if (test(devIndex.get(t.id)!, devIndex.get(t.orig_id)!)) hits[bandOf(t.approx_jaccard_5gram)]!++;
    return { hit: hits.reduce((a, b) => a + b, 0), cells: hits.map((h, b) => `${frac(h, bandCounts[b]!)}`) };
  };
  const d = byBand((i, j) => hasPair(p, i, j));
  const c = byBand((i, j) => sameCluster(p, i, j));
  const thr = threshold(s.options).toFixed(2);
  direct.push(row([s.name, thr, pct(tp, tp + fp), `${tp}/${fp}`, String(related), pct(d.hit, truth.length), ...d.cells], wA));
  const sizes = new Map<number, number>();
  for (const r of p.root) sizes.set(r, (sizes.get(r) ?? 0) + 1);
  const multi = [...sizes.values()].filter((v) => v > 1);
  cluster.push(
    row([s.name, thr, '', '', '', pct(c.hit, truth.length), ...c.cells], wA) +
      `   corpus: ${multi.length} clusters, ${multi.reduce((a, v) => a + v - 1, 0)} removed; signs ${Math.round(p.signed / p.seconds).toLocaleString('en-US')} docs/s`,
  );
  summary.get(s.name)!.dev = `P ${pct(tp, tp + fp)} R ${pct(d.hit, truth.length)}`;
}
console.log('pairs that share a band (P = TP / (TP + FP) among the involved documents; rel = unlabelled pairs within one chain, left out):');
console.log(row(header, wA));
direct.forEach((l) => console.log(l));
console.log('pairs in the same cluster (union-find over every predicted pair of the dev corpus):');
console.log(row(header, wA));
cluster.forEach((l) => console.log(l));
const summaryFile = join(dataDir, 'parity', 'dev', 'summary.json');
if (existsSync(summaryFile)) {
  const ref = (JSON.parse(readFileSync(summaryFile, 'utf8')) as { neardup_truth_vs_minhash: { same_cluster_as_orig: number; by_approx_jaccard: Record<string, { same_cluster: number; n: number }> } })
    .neardup_truth_vs_minhash;
  const cells = JBANDS.map(([n]) => frac(ref.by_approx_jaccard[n]?.same_cluster ?? 0, ref.by_approx_jaccard[n]?.n ?? 0));
  console.log(row(['reference (datatrove)', threshold({}).toFixed(2), '', '', '', pct(ref.same_cluster_as_orig, truth.length), ...cells], wA) + '   corpus: 575 clusters, 797 removed');
}
if (fpExamples.length > 0) console.log(`false positives at the default (natural duplicates among the originals?): ${fpExamples.slice(0, 8).join('; ')}${fpExamples.length > 8 ? ' ...' : ''}`);

// ---------------------------------------------------------------- (b) Clough & Stevenson
interface CsDoc {
  id: string;
  text: string;
}
interface CsPair {
  id1: string;
  id2: string;
  category: 'cut' | 'light' | 'heavy' | 'non';
  datatrove_same_cluster: boolean;
}
const csDocs = readJsonlFile<CsDoc>(join(ndDir, 'cs_docs.jsonl'));
const csIndex = new Map(csDocs.map((d, i) => [d.id, i]));
const csPairs = readJsonlFile<CsPair>(join(ndDir, 'cs_pairs.jsonl'));
const CATS = ['cut', 'light', 'heavy', 'non'] as const;
const catN = CATS.map((c) => csPairs.filter((p) => p.category === c).length);
console.log(`\n(b) Clough & Stevenson: ${csDocs.length} documents, ${csPairs.length} labelled pairs (answer vs original); near-duplicate = cut or light`);
const wB = [22, 7, 7, 7, 7, 9, 8, 11, 22];
console.log(row(['setting', ...CATS.map((c, i) => `${c} (${catN[i]})`), 'P', 'R', 'unlabelled', 'same cluster c/l/h/n'], wB));
/** A row of hits per category; without `test` (the reference: same cluster only), P and R come from `cl` (marked *). */
const csRow = (name: string, test: ((p: CsPair) => boolean) | null, cl: (p: CsPair) => boolean, unlabelled: string): string => {
  const count = (t: (p: CsPair) => boolean): number[] => CATS.map((c) => csPairs.filter((p) => p.category === c && t(p)).length);
  const chit = count(cl);
  const hit = test ? count(test) : chit;
  const tp = hit[0]! + hit[1]!;
  const predicted = hit.reduce((a, b) => a + b, 0);
  const mark = test ? '' : '*';
  if (summary.has(name)) summary.get(name)!.cs = `P ${pct(tp, predicted)} R ${pct(tp, catN[0]! + catN[1]!)}`;
  return row([name, ...(test ? hit.map(String) : CATS.map(() => '-')), pct(tp, predicted) + mark, pct(tp, catN[0]! + catN[1]!) + mark, unlabelled, chit.join('/')], wB);
};
for (const s of SETTINGS) {
  const p = predict(
    csDocs.map((d) => d.text),
    s.options,
  );
  const ix = (q: CsPair): [number, number] => [csIndex.get(q.id1)!, csIndex.get(q.id2)!];
  const lab = new Set(csPairs.map((q) => Math.min(...ix(q)) * p.n + Math.max(...ix(q))));
  const unlabelled = [...p.pairs].filter((k) => !lab.has(k)).length;
  console.log(
    csRow(
      s.name,
      (q) => hasPair(p, ...ix(q)),
      (q) => sameCluster(p, ...ix(q)),
      String(unlabelled),
    ),
  );
}
console.log(csRow('reference (datatrove)', null, (q) => q.datatrove_same_cluster, '-'));
console.log('(* from same-cluster membership: the reference files give only that; unlabelled = predicted pairs between two answers or two originals)');

// ---------------------------------------------------------------- (c) MSRP, negative control
interface MsrpPair {
  label: 0 | 1;
  id1: string;
  id2: string;
  text1: string;
  text2: string;
  approx_jaccard_5gram: number;
  datatrove_same_cluster: boolean;
}
const msrp = [...readJsonlFile<MsrpPair>(join(ndDir, 'msrp_train.jsonl')), ...readJsonlFile<MsrpPair>(join(ndDir, 'msrp_test.jsonl'))];
const sentences = new Map<string, string>();
for (const q of msrp) {
  sentences.set(q.id1, q.text1);
  sentences.set(q.id2, q.text2);
}
const sentIds = [...sentences.keys()];
const sentIndex = new Map(sentIds.map((id, i) => [id, i]));
const para = msrp.filter((q) => q.label === 1).length;
console.log(`\n(c) MSRP (negative control): ${msrp.length} pairs (${para} paraphrases, ${msrp.length - para} not), ${sentIds.length.toLocaleString('en-US')} distinct sentences; every predicted pair is a false positive`);
const wC = [22, 12, 12, 8, 8, 14, 14];
console.log(row(['setting', 'paraphrases', 'non-paraphr.', 'FP rate', 'J>=0.5', 'same cl. para', 'same cl. non'], wC));
/** Predicted pairs by label (sharing a band), then same-cluster counts; the reference has only the latter. */
const msrpRow = (name: string, test: ((q: MsrpPair) => boolean) | null, cl: (q: MsrpPair) => boolean): string => {
  const hits = test ? msrp.filter(test) : [];
  const hp = hits.filter((q) => q.label === 1).length;
  const hj = hits.filter((q) => q.approx_jaccard_5gram >= 0.5).length;
  const clHits = msrp.filter(cl);
  const cp = clHits.filter((q) => q.label === 1).length;
  if (summary.has(name)) summary.get(name)!.msrp = `FP ${pct(hits.length, msrp.length)}`;
  const direct = test ? [frac(hp, para), frac(hits.length - hp, msrp.length - para), pct(hits.length, msrp.length), String(hj)] : ['-', '-', '-', '-'];
  return row([name, ...direct, frac(cp, para), frac(clHits.length - cp, msrp.length - para)], wC);
};
for (const s of SETTINGS) {
  const p = predict(
    sentIds.map((id) => sentences.get(id)!),
    s.options,
  );
  const ix = (q: MsrpPair): [number, number] => [sentIndex.get(q.id1)!, sentIndex.get(q.id2)!];
  console.log(
    msrpRow(
      s.name,
      (q) => hasPair(p, ...ix(q)),
      (q) => sameCluster(p, ...ix(q)),
    ),
  );
}
console.log(msrpRow('reference (datatrove)', null, (q) => q.datatrove_same_cluster));
console.log(`(${msrp.filter((q) => q.approx_jaccard_5gram >= 0.5).length} MSRP pairs have approximate 5-gram Jaccard >= 0.5: sentence-level near-copies a dedup may fairly catch)`);

// ---------------------------------------------------------------- (d) UDHR variants
interface UdhrPair {
  id1: string;
  id2: string;
  text1: string;
  text2: string;
  same_script: boolean;
  approx_jaccard_5gram: number;
  datatrove_same_cluster: boolean;
}
const udhr = readJsonlFile<UdhrPair>(join(ndDir, 'udhr_variant_pairs.jsonl.zst'));
const udhrTexts = new Map<string, string>();
for (const q of udhr) {
  udhrTexts.set(q.id1, q.text1);
  udhrTexts.set(q.id2, q.text2);
}
const udhrIds = [...udhrTexts.keys()];
const udhrIndex = new Map(udhrIds.map((id, i) => [id, i]));
const udhrPos = udhr.filter((q) => q.approx_jaccard_5gram >= 0.5).length;
console.log(`\n(d) UDHR same-language variants: ${udhr.length} pairs over ${udhrIds.length} declarations; positive = approximate 5-gram Jaccard >= 0.5 (${udhrPos} pairs)`);
const wD = [22, 8, 8, 8, 8, 12, 18];
console.log(row(['setting', 'J>=0.5', 'J<0.5', 'P', 'R', 'cross-script', 'same cl. J>=/J<'], wD));
/** Predicted pairs (sharing a band) by Jaccard class, then same-cluster counts; the reference has only the latter (P, R from it, marked *). */
const udhrRow = (name: string, test: ((q: UdhrPair) => boolean) | null, cl: (q: UdhrPair) => boolean): string => {
  const clHits = udhr.filter(cl);
  const hits = test ? udhr.filter(test) : clHits;
  const tp = hits.filter((q) => q.approx_jaccard_5gram >= 0.5).length;
  const ctp = clHits.filter((q) => q.approx_jaccard_5gram >= 0.5).length;
  const mark = test ? '' : '*';
  if (summary.has(name)) summary.get(name)!.udhr = `P ${pct(tp, hits.length)} R ${pct(tp, udhrPos)}`;
  const direct = test ? [frac(tp, udhrPos), frac(hits.length - tp, udhr.length - udhrPos)] : ['-', '-'];
  return row([name, ...direct, pct(tp, hits.length) + mark, pct(tp, udhrPos) + mark, String(hits.filter((q) => !q.same_script).length), `${ctp}/${clHits.length - ctp}`], wD);
};
for (const s of SETTINGS) {
  const p = predict(
    udhrIds.map((id) => udhrTexts.get(id)!),
    s.options,
  );
  const ix = (q: UdhrPair): [number, number] => [udhrIndex.get(q.id1)!, udhrIndex.get(q.id2)!];
  console.log(
    udhrRow(
      s.name,
      (q) => hasPair(p, ...ix(q)),
      (q) => sameCluster(p, ...ix(q)),
    ),
  );
}
console.log(udhrRow('reference (datatrove)', null, (q) => q.datatrove_same_cluster) + '   (same cluster over all 532 declarations)');
const udhrDefault = predict(
  udhrIds.map((id) => udhrTexts.get(id)!),
  SETTINGS[0]!.options,
);
const udhrFp = udhr.filter((q) => q.approx_jaccard_5gram < 0.5 && hasPair(udhrDefault, udhrIndex.get(q.id1)!, udhrIndex.get(q.id2)!));
const udhrFn = udhr.filter((q) => q.approx_jaccard_5gram >= 0.5 && !hasPair(udhrDefault, udhrIndex.get(q.id1)!, udhrIndex.get(q.id2)!));
const jOf = (q: UdhrPair): string => `${q.id1} ~ ${q.id2} (J ${q.approx_jaccard_5gram.toFixed(2)})`;
console.log(`at the default: predicted below 0.5: ${udhrFp.map(jOf).join('; ') || 'none'}; missed at 0.5 or more: ${udhrFn.map(jOf).join('; ') || 'none'}`);

// ---------------------------------------------------------------- summary
console.log('\nsummary (pairs that share a band; P = precision, R = recall, FP = share of MSRP pairs predicted):');
const wS = [22, 6, 22, 22, 10, 22];
console.log(row(['setting', 'thr', '(a) dev synthetic', '(b) C&S cut+light', '(c) MSRP', '(d) UDHR J>=0.5'], wS));
for (const s of SETTINGS) {
  const v = summary.get(s.name)!;
  console.log(row([s.name, threshold(s.options).toFixed(2), v.dev, v.cs, v.msrp, v.udhr], wS));
}
console.log('(thr = (1/bands)^(1/rows), the Jaccard similarity where the chance of sharing a band is about one half)');
