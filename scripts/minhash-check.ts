/**
 * Parity of MinHash deduplication with the reference implementation's decisions on the dev corpus
 * (../shared/data/parity/dev, see its PROVENANCE.md), and the speed of signature computation.
 *
 *   npx tsx scripts/minhash-check.ts [--tokenizer auto|whitespace|spacy] [--limit N] [--repeat K]
 *
 * Signs every non-empty document of corpus/dev (the reference reader skips empty texts), groups
 * documents by band in memory (sorted by exact band key, then document index, as the reference's
 * bucket step does), emits adjacent equal pairs, clusters them with union-find by size and
 * removes every member but the root. Prints: removed count against the reference, Jaccard of the
 * removed-id sets, Jaccard of duplicate pairs (documents in the same cluster), how many reference
 * clusters we reproduce exactly and keep the same document of, and signatures per second (CPU time
 * of the signing loop, one core). `--tokenizer auto` (default) runs the whitespace split and, when
 * `src/text/tokenizer.ts` exists, the word tokenizer too. Exits 1 below 0.95 removed-set Jaccard.
 */
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { bandKey } from '../src/dedup/minhash/bands.js';
import { MinhashSigner, type WordSplitter } from '../src/dedup/minhash/signature.js';
import { readJsonlFile } from '../src/io/whole-file.js';
import { REPO_ROOT, SHARED_DATA } from '../test/helpers/shared-data.js';

interface CorpusDoc {
  id: string;
  text?: string;
}
interface RefRow {
  id: string;
  removed: boolean;
  cluster_id: number;
  cluster_size: number;
}
interface RefCluster {
  cluster_id: number;
  size: number;
  kept: string;
  members: string[];
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const dev = (...p: string[]): string => [SHARED_DATA, ...p].join('/');

/** Union-find over document indices, union by size; on equal sizes the first argument's root wins. */
class UnionFind {
  private readonly parent = new Map<number, number>();
  private readonly size = new Map<number, number>();

  find(x: number): number {
    let root = x;
    for (let p = this.parent.get(root); p !== undefined && p !== root; p = this.parent.get(root)) root = p;
    for (let y = x; y !== root; ) {
      const next = this.parent.get(y)!;
      this.parent.set(y, root);
      y = next;
    }
    return root;
  }

  union(a: number, b: number): void {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) {
      if (!this.parent.has(ra)) this.parent.set(ra, ra);
      return;
    }
    const sa = this.size.get(ra) ?? 1;
    const sb = this.size.get(rb) ?? 1;
    if (sa < sb) [ra, rb] = [rb, ra];
    this.parent.set(rb, ra);
    if (!this.parent.has(ra)) this.parent.set(ra, ra);
    this.size.set(ra, sa + sb);
  }

  nodes(): number[] {
    return [...this.parent.keys()];
  }
}

/** The reference bucket step on in-memory signatures: per band, sort, pair adjacent equal keys. */
function cluster(sigs: (Uint32Array | null)[], bands: number, rows: number): UnionFind {
  const uf = new UnionFind();
  for (let b = 0; b < bands; b++) {
    const entries: { key: Buffer; doc: number }[] = [];
    sigs.forEach((sig, doc) => {
      if (sig) entries.push({ key: bandKey(sig, b, rows), doc });
    });
    entries.sort((x, y) => Buffer.compare(x.key, y.key) || x.doc - y.doc);
    for (let i = 1; i < entries.length; i++) {
      if (entries[i]!.key.equals(entries[i - 1]!.key)) uf.union(entries[i - 1]!.doc, entries[i]!.doc);
    }
  }
  return uf;
}

function jaccard<T>(a: Set<T>, b: Set<T>): number {
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  const union = a.size + b.size - inter;
  return union === 0 ? 1 : inter / union;
}

function pairsOf(clusters: string[][]): Set<string> {
  const out = new Set<string>();
  for (const members of clusters) {
    const m = [...members].sort();
    for (let i = 0; i < m.length; i++) for (let j = i + 1; j < m.length; j++) out.add(`${m[i]}\u0000${m[j]}`);
  }
  return out;
}

async function loadTokenizer(): Promise<WordSplitter | null> {
  const path = `${REPO_ROOT}/src/text/tokenizer.ts`;
  if (!existsSync(path)) return null;
  const mod = (await import(pathToFileURL(path).href)) as { splitWords?: WordSplitter };
  return mod.splitWords ?? null;
}

interface RunResult {
  name: string;
  removedJaccard: number;
}

function run(
  name: string,
  docs: { id: string; text: string }[],
  refs: { removed: Set<string>; clusters: RefCluster[] },
  splitWords: WordSplitter | undefined,
  repeat: number,
): RunResult {
  const signer = new MinhashSigner(splitWords ? { splitWords } : {});
  const { numBuckets, hashesPerBucket } = signer.config;
  let sigs: (Uint32Array | null)[] = [];
  let best = Infinity;
  let bestWall = Infinity;
  for (let r = 0; r < repeat; r++) {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    sigs = docs.map((d) => signer.sign(d.text));
    const wall = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    best = Math.min(best, (cpu.user + cpu.system) / 1e6);
    bestWall = Math.min(bestWall, wall);
  }
  const uf = cluster(sigs, numBuckets, hashesPerBucket);
  const byRoot = new Map<number, number[]>();
  for (const node of uf.nodes()) {
    const root = uf.find(node);
    let list = byRoot.get(root);
    if (!list) byRoot.set(root, (list = []));
    list.push(node);
  }
  const removed = new Set<string>();
  const ours = new Map<string, { kept: string; members: string[] }>();
  for (const [root, members] of byRoot) {
    for (const m of members) if (m !== root) removed.add(docs[m]!.id);
    const ids = members.map((m) => docs[m]!.id).sort();
    ours.set(ids.join('\u0000'), { kept: docs[root]!.id, members: ids });
  }
  let sameCluster = 0;
  let sameKept = 0;
  for (const c of refs.clusters) {
    const mine = ours.get([...c.members].sort().join('\u0000'));
    if (!mine) continue;
    sameCluster++;
    if (mine.kept === c.kept) sameKept++;
  }
  const removedJaccard = jaccard(removed, refs.removed);
  const pairJaccard = jaccard(pairsOf([...ours.values()].map((c) => c.members)), pairsOf(refs.clusters.map((c) => c.members)));
  const signed = sigs.filter((s) => s !== null).length;
  const onlyOurs = [...removed].filter((id) => !refs.removed.has(id));
  const onlyRef = [...refs.removed].filter((id) => !removed.has(id));
  console.log(`\n== ${name}`);
  console.log(`documents ${docs.length}, with signature ${signed}, without (fewer than 5 words) ${docs.length - signed}`);
  console.log(`removed ${removed.size} (reference ${refs.removed.size}); removed-id Jaccard ${removedJaccard.toFixed(4)}`);
  console.log(`  removed only by us ${onlyOurs.length}: ${onlyOurs.slice(0, 5).join(', ')}`);
  console.log(`  removed only by the reference ${onlyRef.length}: ${onlyRef.slice(0, 5).join(', ')}`);
  console.log(`clusters ${ours.size} (reference ${refs.clusters.length}); duplicate-pair Jaccard ${pairJaccard.toFixed(4)}`);
  console.log(`reference clusters reproduced exactly ${sameCluster}/${refs.clusters.length}, same kept document ${sameKept}/${sameCluster}`);
  console.log(
    `signatures: ${(docs.length / best).toFixed(0)} docs/s per core (CPU ${best.toFixed(2)} s, wall ${bestWall.toFixed(2)} s, best of ${repeat})`,
  );
  return { name, removedJaccard };
}

async function main(): Promise<void> {
  const limit = Number(arg('--limit') ?? Infinity);
  const repeat = Number(arg('--repeat') ?? 3);
  const mode = arg('--tokenizer') ?? 'auto';
  const docs: { id: string; text: string }[] = [];
  for (let s = 0; s < 4; s++) {
    for (const d of readJsonlFile<CorpusDoc>(dev('corpus', 'dev', `dev-000${s}.jsonl.zst`))) {
      if (d.text && docs.length < limit) docs.push({ id: d.id, text: d.text });
    }
  }
  const refRows = readJsonlFile<RefRow>(dev('parity', 'dev', 'minhash.jsonl.zst'));
  const orderOk = refRows.length === docs.length && refRows.every((r, i) => r.id === docs[i]!.id);
  if (!orderOk && !Number.isFinite(limit)) console.warn('warning: document order differs from the reference output');
  const refs = {
    removed: new Set(refRows.filter((r) => r.removed).map((r) => r.id)),
    clusters: readJsonlFile<RefCluster>(dev('parity', 'dev', 'minhash_clusters.jsonl')),
  };
  const results: RunResult[] = [];
  if (mode === 'auto' || mode === 'whitespace') results.push(run('whitespace words', docs, refs, undefined, repeat));
  if (mode === 'auto' || mode === 'spacy') {
    const splitWords = await loadTokenizer();
    if (splitWords) results.push(run('word tokenizer (src/text/tokenizer.ts)', docs, refs, splitWords, repeat));
    else console.log('\n(word tokenizer src/text/tokenizer.ts not present: skipped)');
  }
  process.exitCode = results.every((r) => r.removedJaccard >= 0.95) ? 0 : 1;
}

await main();
