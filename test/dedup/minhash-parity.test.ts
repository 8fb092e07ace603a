import { describe, expect, it } from 'vitest';
import { bandKey } from '../../src/dedup/minhash/bands.js';
import { MinhashSigner, type WordSplitter } from '../../src/dedup/minhash/signature.js';
import { readJsonlFile } from '../../src/io/whole-file.js';
import { splitWords } from '../../src/text/tokenizer.js';
import { describeWithSharedData, sharedPath } from '../helpers/shared-data.js';

interface RefRow {
  id: string;
  removed: boolean;
}

/**
 * The reference's bucket and cluster steps on in-memory signatures: per band, sort by (band, doc),
 * union adjacent equal bands (union by size, the first root wins ties), remove all but the roots.
 */
function removedIds(ids: string[], sigs: (Uint32Array | null)[]): Set<string> {
  const parent = new Map<number, number>();
  const size = new Map<number, number>();
  const find = (x: number): number => {
    while (parent.has(x) && parent.get(x) !== x) x = parent.get(x)!;
    return x;
  };
  for (let b = 0; b < 14; b++) {
    const entries = sigs.flatMap((s, doc) => (s ? [{ key: bandKey(s, b, 8), doc }] : []));
    entries.sort((x, y) => Buffer.compare(x.key, y.key) || x.doc - y.doc);
    for (let i = 1; i < entries.length; i++) {
      if (!entries[i]!.key.equals(entries[i - 1]!.key)) continue;
      let ra = find(entries[i - 1]!.doc);
      let rb = find(entries[i]!.doc);
      if (ra === rb) continue;
      if ((size.get(ra) ?? 1) < (size.get(rb) ?? 1)) [ra, rb] = [rb, ra];
      parent.set(rb, ra);
      parent.set(ra, ra);
      size.set(ra, (size.get(ra) ?? 1) + (size.get(rb) ?? 1));
    }
  }
  return new Set([...parent.keys()].filter((d) => find(d) !== d).map((d) => ids[d]!));
}

function jaccard(a: Set<string>, b: Set<string>): number {
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  return inter / (a.size + b.size - inter);
}

describeWithSharedData('MinHash parity with the reference on the dev corpus', ['parity', 'dev', 'minhash.jsonl.zst'], () => {
  const docs: { id: string; text: string }[] = [];
  for (let s = 0; s < 4; s++) {
    for (const d of readJsonlFile<{ id: string; text?: string }>(sharedPath('corpus', 'dev', `dev-000${s}.jsonl.zst`))) {
      if (d.text) docs.push({ id: d.id, text: d.text });
    }
  }
  const refRows = readJsonlFile<RefRow>(sharedPath('parity', 'dev', 'minhash.jsonl.zst'));
  const refRemoved = new Set(refRows.filter((r) => r.removed).map((r) => r.id));
  const ids = docs.map((d) => d.id);

  it('reads the documents in the reference order (empty texts skipped)', () => {
    expect(ids).toEqual(refRows.map((r) => r.id));
  });

  const cases: [string, WordSplitter | undefined][] = [
    ['whitespace words', undefined],
    ['the word tokenizer', splitWords],
  ];
  for (const [name, splitter] of cases) {
    it(`removes the same documents with ${name} (Jaccard >= 0.95)`, () => {
      const signer = new MinhashSigner(splitter ? { splitWords: splitter } : {});
      const removed = removedIds(ids, docs.map((d) => signer.sign(d.text)));
      const j = jaccard(removed, refRemoved);
      console.log(`minhash parity (${name}): removed ${removed.size} vs ${refRemoved.size}, Jaccard ${j.toFixed(4)}`);
      expect(j).toBeGreaterThanOrEqual(0.95);
      expect(Math.abs(removed.size - refRemoved.size)).toBeLessThanOrEqual(40);
    });
  }
});

describe('MinHash parity helpers', () => {
  it('union by size keeps the root of the larger cluster', () => {
    const s = (v: number): Uint32Array => new Uint32Array(224).fill(v);
    // docs 0,1 share everything; doc 2 joins doc 1 later: root stays 0
    expect(removedIds(['a', 'b', 'c', 'd'], [s(1), s(1), s(1), s(2)])).toEqual(new Set(['b', 'c']));
  });
});
