/**
 * A document as the stages see it: an id, the text to judge, and the record it came from.
 *
 * The text may come from one field (`text`, or any dotted path) or from several places in the
 * record (the contents of chat messages, or `chosen`/`rejected` of a preference record). Each such
 * place is a segment; stages see the segments joined by a blank line. A stage that rewrites text
 * calls `mapText`, which applies the edit to every segment, so the record can be written back with
 * each edited value in its own place. A record no stage edited is written back byte for byte.
 */

export type JsonObject = { [key: string]: unknown };
export type FieldPath = readonly (string | number)[];

export interface TextSegment {
  /** Where the segment's text lives in the record. */
  path: FieldPath;
  text: string;
}

/** Separator between segments in the text the stages see. */
export const SEGMENT_JOINER = '\n\n';

export class Doc {
  /** Document id (from the configured id field, or `<shard>:<line>` when the record has none). */
  readonly id: string;
  /** The parsed record. Only changed through the methods below. */
  readonly record: JsonObject;
  /** The record's original serialized line, written back unchanged when nothing edited the doc. */
  readonly rawLine: string | null;
  /** Input shard (as listed in the manifest) and 1-based line number, for messages and stats. */
  readonly shard: string;
  readonly lineNo: number;

  private segments: TextSegment[];
  private joined: string;
  private editedFlag = false;
  private memos: Map<string, unknown> | null = null;

  constructor(init: {
    id: string;
    record: JsonObject;
    rawLine: string | null;
    shard: string;
    lineNo: number;
    segments: TextSegment[];
  }) {
    this.id = init.id;
    this.record = init.record;
    this.rawLine = init.rawLine;
    this.shard = init.shard;
    this.lineNo = init.lineNo;
    this.segments = init.segments;
    this.joined = joinSegments(init.segments);
  }

  /** A plain document with the text in `text`: for tests and for tools that build documents. */
  static fromText(text: string, id = 'doc', record?: JsonObject): Doc {
    const rec = record ?? { id, text };
    return new Doc({ id, record: rec, rawLine: null, shard: '', lineNo: 0, segments: [{ path: ['text'], text }] });
  }

  /** The text the stages judge: the single text field, or the segments joined by a blank line. */
  get text(): string {
    return this.joined;
  }

  /** The text pieces, one per place in the record (one for plain documents). */
  get textSegments(): readonly TextSegment[] {
    return this.segments;
  }

  /**
   * Something derived from the text (its words, its lines), computed once and shared by every stage
   * that asks with the same key; forgotten when the text changes.
   */
  memo<T>(key: string, compute: (text: string) => T): T {
    if (this.memos === null) this.memos = new Map();
    else if (this.memos.has(key)) return this.memos.get(key) as T;
    const value = compute(this.joined);
    this.memos.set(key, value);
    return value;
  }

  /** True once a stage changed the text. */
  get edited(): boolean {
    return this.editedFlag;
  }

  /**
   * Rewrites the text: `edit` is applied to every segment on its own (for a plain document, to the
   * whole text). Returns true when anything changed.
   */
  mapText(edit: (text: string) => string): boolean {
    let changed = false;
    const next = this.segments.map((seg) => {
      const text = edit(seg.text);
      if (text !== seg.text) changed = true;
      return text === seg.text ? seg : { path: seg.path, text };
    });
    if (changed) {
      this.segments = next;
      this.joined = joinSegments(next);
      this.editedFlag = true;
      this.memos = null;
    }
    return changed;
  }

  /** A copy of the text state, to undo the edits of a stage that runs in `tag` mode. */
  snapshot(): DocSnapshot {
    return { segments: this.segments, joined: this.joined, edited: this.editedFlag, memos: this.memos };
  }

  /** Back to a snapshot's text, with what was derived from that text (an edit starts a new memo map). */
  restore(s: DocSnapshot): void {
    if (s.joined !== this.joined) this.memos = s.memos;
    this.segments = s.segments;
    this.joined = s.joined;
    this.editedFlag = s.edited;
  }

  /**
   * The record as it should be written: the original line when unchanged; otherwise the record with
   * every edited segment stored back at its path and `extraMetadata` merged into `metadata`.
   */
  serialize(extraMetadata?: JsonObject): string {
    if (!this.editedFlag && !extraMetadata && this.rawLine !== null) return this.rawLine;
    const out = structuredClone(this.record);
    if (this.editedFlag) for (const seg of this.segments) setPath(out, seg.path, seg.text);
    if (extraMetadata) {
      const meta = out.metadata;
      out.metadata = { ...(isObject(meta) ? meta : {}), ...extraMetadata };
    }
    return JSON.stringify(out);
  }
}

export interface DocSnapshot {
  readonly segments: TextSegment[];
  readonly joined: string;
  readonly edited: boolean;
  readonly memos: Map<string, unknown> | null;
}

function joinSegments(segments: readonly TextSegment[]): string {
  if (segments.length === 1) return segments[0]!.text;
  return segments.map((s) => s.text).join(SEGMENT_JOINER);
}

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Splits a dotted path (`metadata.url`, `messages.0.content`) into keys and array indexes. */
export function parsePath(dotted: string): FieldPath {
  return dotted.split('.').map((k) => (/^\d+$/.test(k) ? Number(k) : k));
}

export function getPath(record: unknown, path: FieldPath): unknown {
  let cur: unknown = record;
  for (const key of path) {
    if (typeof key === 'number') {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[key];
    } else {
      if (!isObject(cur)) return undefined;
      cur = cur[key];
    }
  }
  return cur;
}

function setPath(record: JsonObject, path: FieldPath, value: unknown): void {
  let cur: unknown = record;
  for (let i = 0; i < path.length - 1; i++) cur = (cur as Record<string | number, unknown>)[path[i]!];
  (cur as Record<string | number, unknown>)[path[path.length - 1]!] = value;
}
