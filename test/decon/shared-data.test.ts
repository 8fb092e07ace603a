/**
 * pipelines/benchmarks.yaml on the real benchmark files (../shared/data/benchmarks): every
 * benchmark loads and is indexed, planted items are found, and clean documents are not flagged.
 * Skipped, loudly, without the shared data.
 */
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { loadBenchmarks, type LoadedBenchmarks } from '../../src/decon/benchmarks.js';
import { buildIndexFromItems, type BenchmarkBuildCounts, type DeconIndex } from '../../src/decon/index.js';
import { DeconMatcher } from '../../src/decon/match.js';
import { itemText, plant, rng, type Perturbation } from '../../src/decon/perturb.js';
import { readJsonlFile } from '../../src/io/whole-file.js';
import { describeWithSharedData, hasSharedData, REPO_ROOT, sharedPath } from '../helpers/shared-data.js';

const EXPECTED_ITEMS: Record<string, number> = {
  gsm8k: 1319,
  math: 5000,
  mmlu: 14042,
  humaneval: 164,
  mbpp: 500,
  bbh: 6511,
  ifeval: 541,
  alpacaeval: 805,
  agieval: 8269,
  truthfulqa_mc1: 817,
  arc_challenge: 1172,
  arc_easy: 2376,
  piqa: 1838,
  siqa: 4178,
  winogrande: 1267,
  commonsenseqa: 1221,
  openbookqa: 500,
  hellaswag: 100,
  xquad_en: 1190,
};

/** Dev-corpus documents that really hold benchmark text (evaluation code, speeches MMLU quotes). */
const KNOWN_CONTAMINATED = new Set([
  'code/QwenLM/Qwen2.5-Math:evaluation/examples.py',
  'code/QwenLM/Qwen2.5-Math:README.md',
  'nltk-state_union-1980-Carter',
  'nltk-inaugural-1981-Reagan',
]);

describeWithSharedData('decontamination against every shared benchmark', ['benchmarks'], () => {
  let loaded: LoadedBenchmarks;
  let index: DeconIndex;
  let counts: BenchmarkBuildCounts[];

  beforeAll(async () => {
    loaded = await loadBenchmarks(join(REPO_ROOT, 'pipelines', 'benchmarks.yaml'));
    ({ index, counts } = buildIndexFromItems(loaded));
  }, 120_000);

  it('loads every benchmark of pipelines/benchmarks.yaml, and indexes nearly all items', () => {
    const items = new Map<string, number>();
    for (const b of loaded.benchmarks) items.set(b.name, (items.get(b.name) ?? 0) + b.items);
    expect(Object.fromEntries(items)).toEqual(EXPECTED_ITEMS);
    for (const c of counts) expect([c.name, c.indexedItems / c.items > 0.9]).toEqual([c.name, true]);
  });

  it('finds items planted into other text, verbatim and perturbed', () => {
    const random = rng(7);
    const filler = 'This paragraph is ordinary prose about gardening, weather and the price of bread in the town market.';
    const matcher = new DeconMatcher(index);
    const perturbations: Perturbation[] = ['verbatim', 'all', 'mc_format'];
    let tried = 0;
    let found = 0;
    const missed: string[] = [];
    loaded.benchmarks.forEach((info, bench) => {
      const items = loaded.items.filter((it) => it.bench === bench);
      for (let k = 0; k < 10; k++) {
        const item = items[Math.floor(random() * items.length)]!;
        for (const p of perturbations) {
          const text = itemText(item, info.parts, p, random);
          if (text === null) continue;
          tried++;
          const doc = plant(`${filler}\n${filler}`, text, random).text;
          const hit = matcher.match(doc).hits.some((h) => h.benchmark === info.name && h.split === info.split && h.item === item.index);
          if (hit) found++;
          else missed.push(`${info.name}#${item.index} ${p}`);
        }
      }
    });
    expect(tried).toBeGreaterThan(400);
    expect(found / tried, missed.join(', ')).toBeGreaterThan(0.97);
  });

  it.skipIf(!hasSharedData('corpus', 'dev'))('flags only documents of the clean dev corpus that really hold benchmark text', () => {
    const matcher = new DeconMatcher(index);
    const flagged: string[] = [];
    for (let s = 0; s < 4; s++) {
      for (const d of readJsonlFile<{ id: string; text: string }>(sharedPath('corpus', 'dev', `dev-000${s}.jsonl.zst`))) {
        if (matcher.match(d.text).hits.length > 0) flagged.push(d.id);
      }
    }
    expect(flagged.filter((id) => !KNOWN_CONTAMINATED.has(id))).toEqual([]);
    expect(flagged.length).toBeGreaterThan(0);
  });
});
