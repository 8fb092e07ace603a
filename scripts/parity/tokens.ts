/**
 * Word-tokenizer parity with the reference (datatrove + spaCy 3.5.4) on the dev corpus: the share
 * of documents whose tokens are exactly the reference tokens, the most frequent kinds of mismatch
 * (the first differing token boundary of each document, with the characters around it), and the
 * tokenizer's speed.
 *
 *   npx tsx scripts/parity/tokens.ts [shared-data-dir]
 */
import { join, resolve } from 'node:path';
import { readJsonlFile } from '../../src/io/whole-file.js';
import { splitWords } from '../../src/text/tokenizer.js';

interface Doc {
  id: string;
  text: string;
}
interface Ref {
  id: string;
  tokens: string[];
}

const defaultDir = join(import.meta.dirname, '..', '..', '..', 'shared', 'data');
const dataDir = resolve(process.argv[2] ?? process.env.SIFT_SHARED_DATA ?? defaultDir);
const shards = [0, 1, 2, 3].map((i) => join(dataDir, 'corpus', 'dev', `dev-000${i}.jsonl.zst`));
const docs: Doc[] = shards.flatMap((path) => readJsonlFile<Doc>(path));
const refs: Ref[] = readJsonlFile<Ref>(join(dataDir, 'parity', 'dev', 'tokens.jsonl.zst'));
if (docs.length !== refs.length) throw new Error(`${docs.length} docs but ${refs.length} reference entries`);

/** Token end positions in the concatenated tokens. */
function boundaries(tokens: readonly string[]): Set<number> {
  const out = new Set<number>();
  let at = 0;
  for (const t of tokens) out.add((at += t.length));
  return out;
}

/** A short description of where two tokenizations first differ. */
function mismatchKind(ours: readonly string[], ref: readonly string[]): string {
  const joined = ref.join('');
  if (ours.join('') !== joined) return 'different text';
  const a = boundaries(ours);
  const b = boundaries(ref);
  let first = Infinity;
  for (const x of a) if (!b.has(x) && x < first) first = x;
  for (const x of b) if (!a.has(x) && x < first) first = x;
  const what = a.has(first) ? 'extra split' : 'missing split';
  const left = String.fromCodePoint(joined.codePointAt(first - 1) ?? 0x3f);
  const right = String.fromCodePoint(joined.codePointAt(first) ?? 0x3f);
  return `${what} ${JSON.stringify(left)} | ${JSON.stringify(right)}`;
}

let agree = 0;
let tokenCount = 0;
let chars = 0;
let seconds = 0;
const kinds = new Map<string, { count: number; ids: string[] }>();
docs.forEach((doc, i) => {
  const ref = refs[i] as Ref;
  if (ref.id !== doc.id) throw new Error(`order differs at ${i}: ${doc.id} vs ${ref.id}`);
  const t0 = performance.now();
  const ours = splitWords(doc.text);
  seconds += (performance.now() - t0) / 1000;
  tokenCount += ours.length;
  chars += doc.text.length;
  if (ours.length === ref.tokens.length && ours.every((t, k) => t === ref.tokens[k])) {
    agree++;
    return;
  }
  const kind = mismatchKind(ours, ref.tokens);
  const entry = kinds.get(kind) ?? { count: 0, ids: [] };
  entry.count++;
  if (entry.ids.length < 3) entry.ids.push(doc.id);
  kinds.set(kind, entry);
});

const n = docs.length;
console.log(`documents: ${n}, exact token agreement: ${agree} (${((100 * agree) / n).toFixed(2)}%)`);
const speed = (s: number): string =>
  `${(n / s).toFixed(0)} docs/s, ${(tokenCount / s / 1e6).toFixed(2)} M tokens/s, ${(chars / s / 1e6).toFixed(1)} M chars/s`;
console.log(`speed, first pass (with JIT warm-up): ${speed(seconds)}`);
const second = performance.now();
for (const doc of docs) splitWords(doc.text);
console.log(`speed, second pass: ${speed((performance.now() - second) / 1000)}`);
if (kinds.size > 0) {
  console.log('most frequent mismatch kinds (first differing boundary):');
  const sorted = [...kinds].sort((x, y) => y[1].count - x[1].count).slice(0, 20);
  for (const [kind, { count, ids }] of sorted) {
    console.log(`  ${String(count).padStart(5)}  ${kind}  e.g. ${ids.join(', ')}`);
  }
}
