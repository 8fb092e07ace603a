/**
 * A generated corpus for benchmarks: shards of ~1 KB English-like documents, deterministic.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Compressor } from 'zstd-napi';

/** Common English words, for generated text. */
export const COMMON_WORDS = (
  'the of and to in a is that for it as was with be by on not he this are or his from at which but have an they you were ' +
  'her she there been one all we their has would when if so no will more can said who some what about into than them its ' +
  'only other new time could these two may first then do any like my now over such our man me even most made after also ' +
  'did many before must through back years where much your way well down should because each just those people how too ' +
  'little state good very make world still own see men work long get here between both life being under never day same ' +
  'another know while last might us great old year off come since against go came right used take three himself few house'
).split(' ');

/** Generates (once, cached in the temp folder) `shards` zstd shards of `docsPerShard` ~1 KB documents. */
export function benchCorpus(shards: number, docsPerShard: number): { dir: string; files: string[]; bytes: number } {
  const dir = join(tmpdir(), `sift-bench-corpus-${shards}x${docsPerShard}`);
  const files = Array.from({ length: shards }, (_, s) => join(dir, `bench-${String(s).padStart(4, '0')}.jsonl.zst`));
  const stamp = join(dir, 'bytes.txt');
  if (existsSync(stamp)) return { dir, files, bytes: Number(readFileSync(stamp, 'utf8')) };
  mkdirSync(dir, { recursive: true });
  let seed = 12345;
  const rnd = (): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  const zstd = new Compressor();
  zstd.setParameters({ compressionLevel: 3 });
  let total = 0;
  for (let s = 0; s < shards; s++) {
    const lines: string[] = [];
    for (let i = 0; i < docsPerShard; i++) {
      const sentences: string[] = [];
      let len = 0;
      while (len < 900) {
        const n = 8 + Math.floor(rnd() * 12);
        const ws = Array.from({ length: n }, () => COMMON_WORDS[Math.floor(rnd() * COMMON_WORDS.length)]!);
        const sentence = ws.join(' ');
        sentences.push(sentence.charAt(0).toUpperCase() + sentence.slice(1) + '.');
        len += sentence.length + 2;
      }
      lines.push(JSON.stringify({ id: `bench-${s}-${i}`, text: sentences.join(' '), source: 'bench', added: '2024-01-01T00:00:00Z', metadata: { shard: s } }));
    }
    const raw = Buffer.from(lines.join('\n') + '\n');
    total += raw.length;
    writeFileSync(files[s]!, zstd.compress(raw));
  }
  writeFileSync(stamp, String(total));
  return { dir, files, bytes: total };
}
