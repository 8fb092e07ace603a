import { describe, expect, it } from 'vitest';
import { Doc, SEGMENT_JOINER } from '../../src/core/document.js';

function chatDoc(): Doc {
  const record = { id: 'c', messages: [{ role: 'user', content: 'mail me at a@b.com' }, { role: 'assistant', content: 'ok a@b.com' }], n: 1 };
  return new Doc({
    id: 'c',
    record,
    rawLine: JSON.stringify(record),
    shard: 's',
    lineNo: 1,
    segments: [
      { path: ['messages', 0, 'content'], text: record.messages[0]!.content },
      { path: ['messages', 1, 'content'], text: record.messages[1]!.content },
    ],
  });
}

describe('Doc', () => {
  it('joins segments for the stages and writes edits back to each place', () => {
    const d = chatDoc();
    expect(d.text).toBe(`mail me at a@b.com${SEGMENT_JOINER}ok a@b.com`);
    expect(d.serialize()).toBe(d.rawLine);
    expect(d.mapText((t) => t.replaceAll('a@b.com', '|||EMAIL_ADDRESS|||'))).toBe(true);
    expect(d.edited).toBe(true);
    expect(JSON.parse(d.serialize())).toEqual({
      id: 'c',
      messages: [
        { role: 'user', content: 'mail me at |||EMAIL_ADDRESS|||' },
        { role: 'assistant', content: 'ok |||EMAIL_ADDRESS|||' },
      ],
      n: 1,
    });
    // The parsed record itself is not changed.
    expect((d.record.messages as { content: string }[])[0]!.content).toBe('mail me at a@b.com');
  });

  it('restores a snapshot and forgets memos when the text changes', () => {
    const d = Doc.fromText('one two three');
    let calls = 0;
    const words = (t: string): string[] => (calls++, t.split(' '));
    expect(d.memo('w', words)).toHaveLength(3);
    expect(d.memo('w', words)).toHaveLength(3);
    expect(calls).toBe(1);
    const snap = d.snapshot();
    d.mapText((t) => `${t} four`);
    expect(d.memo('w', words)).toHaveLength(4);
    d.restore(snap);
    expect(d.text).toBe('one two three');
    expect(d.edited).toBe(false);
    expect(d.memo('w', words)).toHaveLength(3);
  });

  it('adds metadata for rejected output without losing existing metadata', () => {
    const record = { id: 'x', text: 't', metadata: { url: 'u' } };
    const d = new Doc({ id: 'x', record, rawLine: JSON.stringify(record), shard: 's', lineNo: 1, segments: [{ path: ['text'], text: 't' }] });
    expect(JSON.parse(d.serialize({ sift_reason: 'r' }))).toEqual({ id: 'x', text: 't', metadata: { url: 'u', sift_reason: 'r' } });
  });
});
