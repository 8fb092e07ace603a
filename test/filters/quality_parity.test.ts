/**
 * The four reference quality filters end to end, with the shared tokenizer, against the reference
 * decisions on the dev corpus (the per-filter tests check the rules with the reference tokens).
 */
import { expect, it } from 'vitest';
import { Doc } from '../../src/core/document.js';
import type { Filter, FilterDefinition, Verdict } from '../../src/core/filter.js';
import { readJsonlFile } from '../../src/io/whole-file.js';
import c4Quality from '../../filters/c4_quality.js';
import fineWebQuality from '../../filters/fineweb_quality.js';
import gopherQuality from '../../filters/gopher_quality.js';
import gopherRepetition from '../../filters/gopher_repetition.js';
import { describeWithSharedData, sharedPath } from '../helpers/shared-data.js';

type Decision = { keep: boolean | null; reason: string | null };
const NAMES = ['gopher_quality', 'gopher_repetition', 'fineweb_quality', 'c4_quality'] as const;
const DEFS: Record<(typeof NAMES)[number], FilterDefinition> = {
  gopher_quality: gopherQuality,
  gopher_repetition: gopherRepetition,
  fineweb_quality: fineWebQuality,
  c4_quality: c4Quality,
};

describeWithSharedData('quality filters with the shared tokenizer on the dev corpus', ['parity', 'dev', 'filters.jsonl.zst'], () => {
  it('agree with the reference on keep/drop (99.5%+) and reason (99%+), and rewrite C4 text alike', async () => {
    const docs: { id: string; text?: string }[] = [];
    for (let s = 0; s < 4; s++) docs.push(...readJsonlFile<{ id: string; text?: string }>(sharedPath('corpus', 'dev', `dev-000${s}.jsonl.zst`)));
    const refs = readJsonlFile<{ id: string } & Record<string, Decision>>(sharedPath('parity', 'dev', 'filters.jsonl.zst'));
    const c4Text = new Map(readJsonlFile<{ id: string; c4_text: string }>(sharedPath('parity', 'dev', 'c4_text.jsonl.zst')).map((r) => [r.id, r.c4_text]));
    const ctx = { stageName: 'q', stageIndex: 0, resolvePath: (p: string) => p };
    const filters = await Promise.all(NAMES.map(async (n) => (await DEFS[n].create(DEFS[n].options.parse({}), ctx)) as Filter));
    const agree = NAMES.map(() => ({ n: 0, keep: 0, reason: 0 }));
    let c4Differs = 0;
    for (let i = 0; i < docs.length; i++) {
      const doc = Doc.fromText(docs[i]!.text ?? '', docs[i]!.id);
      for (let k = 0; k < NAMES.length; k++) {
        const ours = (await filters[k]!.check(doc, {})) as Verdict; // c4_quality last: it rewrites
        const ref = refs[i]![NAMES[k]]!;
        if (ref.keep === null) continue; // the reference failed (division by zero on empty text)
        const a = agree[k]!;
        a.n++;
        if ((ours === undefined) === ref.keep) a.keep++;
        if ((ours ?? null) === (ref.keep ? null : ref.reason)) a.reason++;
      }
      if (refs[i]!.c4_quality!.keep && doc.text !== c4Text.get(docs[i]!.id)) c4Differs++;
    }
    for (const [k, a] of agree.entries()) {
      expect(a.keep / a.n, NAMES[k]).toBeGreaterThanOrEqual(0.995);
      expect(a.reason / a.n, NAMES[k]).toBeGreaterThanOrEqual(0.99);
    }
    expect(c4Differs).toBeLessThanOrEqual(docs.length * 0.005);
  });
});
