/**
 * A generated corpus for the deduplication benchmark: short English-like documents (word salad of
 * 40-80 words from a vocabulary without digits, since MinHash normalization maps every digit run to
 * 0) with planted duplicates, written as zstd shards and cached in the temp folder.
 *
 * Documents are generated in order; shard s holds documents [s * perShard, (s + 1) * perShard). A
 * document is an original, or (5 % each) an exact copy or a near copy (1-3 words replaced, deleted
 * or inserted) of a random earlier document, which may itself be a copy (chains). One copy in ten
 * takes its source from a fixed set of "hot" documents spread over the corpus, which makes clusters
 * of dozens of members. The truth is kept beside the shards: per document its source (-1 for an
 * original), its kind and, for near copies, the edits made and the Jaccard similarity of the word
 * 5-gram sets of copy and source (on the normalized words, which here are the generated words).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Compressor } from 'zstd-napi';
import { COMMON_WORDS } from './corpus.js';

export const ORIGINAL = 0;
export const EXACT = 1;
export const NEAR = 2;

export interface DedupTruth {
  /** Per document: the document it was copied from, or -1. */
  source: Int32Array;
  /** Per document: ORIGINAL, EXACT or NEAR. */
  kind: Uint8Array;
  /** Per near copy: words replaced, deleted or inserted. */
  edits: Uint8Array;
  /** Per near copy: Jaccard similarity of the word 5-gram sets of the copy and its source. */
  jaccard: Float32Array;
}

export interface DedupCorpus {
  dir: string;
  files: string[];
  docs: number;
  perShard: number;
  /** Uncompressed bytes of the shards. */
  bytes: number;
  truth: DedupTruth;
}

const COMMON = COMMON_WORDS;

const ONSETS = ['b', 'c', 'd', 'f', 'g', 'h', 'j', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'w', 'z', 'br', 'ch', 'cl', 'dr', 'fl', 'gr', 'pl', 'pr', 'sh', 'st', 'str', 'th', 'tr'];
const VOWELS = ['a', 'e', 'i', 'o', 'u', 'ai', 'ea', 'ee', 'ou', 'oo'];
const CODAS = ['', '', '', 'n', 'r', 's', 't', 'l', 'nd', 'st', 'ng', 'ck', 'rt', 'm'];

/** splitmix32: a small, well-mixed generator; one stream per document, seeded by its number. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return ((z ^ (z >>> 16)) >>> 0) / 2 ** 32;
  };
}

/** The vocabulary: common English words first, then 30,000 pronounceable made-up words. */
function vocabulary(): string[] {
  const words = [...COMMON];
  const seen = new Set(words);
  const r = rng(0xc0ffee);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  while (words.length < COMMON.length + 30_000) {
    const syllables = 1 + Math.floor(r() * 3);
    let w = '';
    for (let i = 0; i < syllables; i++) w += pick(ONSETS) + pick(VOWELS) + (i === syllables - 1 ? pick(CODAS) : '');
    if (!seen.has(w)) {
      seen.add(w);
      words.push(w);
    }
  }
  return words;
}

const VOCAB = vocabulary();

/** A word id: a common word 40 % of the time, else a made-up word with a Zipf-like (log-uniform) rank. */
function drawWord(r: () => number): number {
  if (r() < 0.4) return Math.floor(r() * COMMON.length);
  const rare = VOCAB.length - COMMON.length;
  return COMMON.length + Math.min(rare - 1, Math.floor(Math.exp(r() * Math.log(rare + 1))) - 1);
}

/** Sentences of 6-14 words, capitalized, with a period and now and then a comma. */
function format(words: readonly number[], r: () => number): string {
  let out = '';
  let left = 0;
  for (let i = 0; i < words.length; i++) {
    let w = VOCAB[words[i]!]!;
    if (left === 0) {
      left = 6 + Math.floor(r() * 9);
      w = w.charAt(0).toUpperCase() + w.slice(1);
      if (i > 0) out += ' ';
    } else out += r() < 0.08 ? ', ' : ' ';
    out += w;
    left--;
    if (left === 0 || i === words.length - 1) out += '.';
  }
  return out;
}

function shingles(words: readonly number[], n = 5): Set<string> {
  const out = new Set<string>();
  for (let i = 0; i + n <= words.length; i++) out.add(words.slice(i, i + n).join(' '));
  return out;
}

export function jaccard5(a: readonly number[], b: readonly number[]): number {
  const sa = shingles(a);
  const sb = shingles(b);
  let both = 0;
  for (const s of sa) if (sb.has(s)) both++;
  const union = sa.size + sb.size - both;
  return union === 0 ? 1 : both / union;
}

/** Plans which documents are copies of which (deterministic). */
function plan(docs: number): DedupTruth {
  const source = new Int32Array(docs).fill(-1);
  const kind = new Uint8Array(docs);
  const hotStep = Math.max(1, Math.floor(docs / 1000));
  const r = rng(20240601);
  for (let g = 1; g < docs; g++) {
    const u = r();
    if (u >= 0.1) continue;
    kind[g] = u < 0.05 ? EXACT : NEAR;
    const hot = Math.floor((g - 1) / hotStep) + 1;
    source[g] = r() < 0.1 ? Math.floor(r() * hot) * hotStep : Math.floor(r() * g);
  }
  return { source, kind, edits: new Uint8Array(docs), jaccard: new Float32Array(docs) };
}

/** The words of document g, following copies back to their original. */
function wordsOf(g: number, t: DedupTruth): number[] {
  if (t.kind[g] === ORIGINAL) {
    const r = rng(g * 2 + 1);
    const n = 40 + Math.floor(r() * 41);
    return Array.from({ length: n }, () => drawWord(r));
  }
  const words = wordsOf(t.source[g]!, t);
  if (t.kind[g] === EXACT) return words;
  const r = rng(g * 2 + 2);
  const edits = 1 + Math.floor(r() * 3);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(r() * words.length);
    const op = r();
    if (op < 0.6) words[at] = drawWord(r);
    else if (op < 0.8) words.splice(at, 1);
    else words.splice(at, 0, drawWord(r));
  }
  t.edits[g] = edits;
  return words;
}

/** The text of document g; an exact copy has the very bytes of its source. */
function textOf(g: number, t: DedupTruth): string {
  let o = g;
  while (t.kind[o] === EXACT) o = t.source[o]!;
  return format(wordsOf(o, t), rng(o * 2 + 3));
}

const TRUTH_FILES = ['source', 'kind', 'edits', 'jaccard'] as const;

/** Generates (once, cached in the temp folder) `shards` zstd shards holding `docs` documents in all. */
export function dedupCorpus(docs: number, shards: number): DedupCorpus {
  const perShard = Math.ceil(docs / shards);
  const dir = join(tmpdir(), `sift-bench-dedup-v1-${docs}x${shards}`);
  const files = Array.from({ length: shards }, (_, s) => join(dir, `dd-${String(s).padStart(4, '0')}.jsonl.zst`));
  const stamp = join(dir, 'bytes.txt');
  if (existsSync(stamp)) {
    /** A fresh, aligned copy of a truth file's bytes. */
    const b = (name: string): ArrayBuffer => {
      const buf = readFileSync(join(dir, `truth-${name}.bin`));
      const copy = new ArrayBuffer(buf.length);
      new Uint8Array(copy).set(buf);
      return copy;
    };
    const truth = { source: new Int32Array(b('source')), kind: new Uint8Array(b('kind')), edits: new Uint8Array(b('edits')), jaccard: new Float32Array(b('jaccard')) };
    return { dir, files, docs, perShard, bytes: Number(readFileSync(stamp, 'utf8')), truth };
  }
  mkdirSync(dir, { recursive: true });
  const truth = plan(docs);
  const zstd = new Compressor();
  zstd.setParameters({ compressionLevel: 3 });
  let total = 0;
  for (let s = 0; s < shards; s++) {
    const lines: string[] = [];
    for (let g = s * perShard; g < Math.min(docs, (s + 1) * perShard); g++) {
      if (truth.kind[g] === NEAR) truth.jaccard[g] = jaccard5(wordsOf(g, truth), wordsOf(truth.source[g]!, truth));
      lines.push(JSON.stringify({ id: `dd-${g}`, text: textOf(g, truth), source: 'bench-dedup', added: '2024-01-01T00:00:00Z', metadata: { shard: s } }));
    }
    const raw = Buffer.from(lines.join('\n') + '\n');
    total += raw.length;
    writeFileSync(files[s]!, zstd.compress(raw));
  }
  for (const name of TRUTH_FILES) {
    const a = truth[name];
    writeFileSync(join(dir, `truth-${name}.bin`), new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  }
  writeFileSync(stamp, String(total));
  return { dir, files, docs, perShard, bytes: total, truth };
}
