/**
 * From a parsed record to a Doc: finds the id and the text segments the config names.
 *
 * A text field may hold a string, a list of strings, or a list of chat messages ({role, content},
 * where content is a string or a list of {type: "text", text} parts). Messages whose content is not
 * text (tool calls, images) are passed over; a record with no text at all is unreadable.
 */
import type { DocumentSpec } from '../config/schema.js';
import { Doc, getPath, isObject, parsePath, type FieldPath, type JsonObject, type TextSegment } from '../core/document.js';

export interface RecordReader {
  /** A Doc, or the reason the record cannot be read. */
  toDoc(record: unknown, rawLine: string | null, shard: string, lineNo: number): Doc | RecordProblem;
}

export interface RecordProblem {
  kind: 'not_an_object' | 'missing_text';
  message: string;
}

export function recordReader(spec: DocumentSpec): RecordReader {
  const idPath = parsePath(spec.idField);
  const textPaths = spec.textFields.map(parsePath);
  const messagePaths = spec.messageFields.map(parsePath);
  const roles = spec.roles ? new Set(spec.roles) : null;
  const simpleText = textPaths.length === 1 && messagePaths.length === 0 && textPaths[0]!.length === 1 ? textPaths[0]![0] : null;
  const fieldNames = [...spec.textFields, ...spec.messageFields].join(', ');

  return {
    toDoc(record, rawLine, shard, lineNo) {
      if (!isObject(record)) return { kind: 'not_an_object', message: `expected a JSON object, got ${describe(record)}` };
      let segments: TextSegment[];
      // The common case, one top-level string field, without the general walk.
      const direct = simpleText !== null ? record[simpleText as string] : undefined;
      if (typeof direct === 'string') segments = [{ path: textPaths[0]!, text: direct }];
      else {
        segments = [];
        for (const p of textPaths) collect(getPath(record, p), p, roles, segments, false);
        for (const p of messagePaths) collect(getPath(record, p), p, roles, segments, true);
        if (segments.length === 0) {
          return { kind: 'missing_text', message: `no text in ${fieldNames}: ${describeFields(record, [...textPaths, ...messagePaths])}` };
        }
      }
      const rawId = getPath(record, idPath);
      const id = typeof rawId === 'string' ? rawId : typeof rawId === 'number' ? String(rawId) : `${shard}:${lineNo}`;
      return new Doc({ id, record: record as JsonObject, rawLine, shard, lineNo, segments });
    },
  };
}

function collect(value: unknown, path: FieldPath, roles: Set<string> | null, out: TextSegment[], messages: boolean): void {
  if (typeof value === 'string') {
    if (!messages) out.push({ path, text: value });
    return;
  }
  if (!Array.isArray(value)) return;
  value.forEach((item, i) => {
    if (typeof item === 'string' && !messages) out.push({ path: [...path, i], text: item });
    else if (isObject(item) && 'content' in item) {
      if (roles && !(typeof item.role === 'string' && roles.has(item.role))) return;
      const content = item.content;
      if (typeof content === 'string') out.push({ path: [...path, i, 'content'], text: content });
      else if (Array.isArray(content)) {
        content.forEach((part, j) => {
          if (isObject(part) && typeof part.text === 'string') out.push({ path: [...path, i, 'content', j, 'text'], text: part.text });
        });
      }
    }
  });
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v}`;
}

function describeFields(record: JsonObject, paths: FieldPath[]): string {
  return paths.map((p) => `${p.join('.')} is ${getPath(record, p) === undefined ? 'missing' : describe(getPath(record, p))}`).join('; ');
}
