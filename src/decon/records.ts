/**
 * Reads the records of one benchmark file, by name: JSONL (`.jsonl`, `.ndjson`), JSON (`.json`: an
 * array of records, or an object holding one), CSV (`.csv`, RFC 4180, first row the header unless
 * `header: false`, then the columns are `column0`, `column1`, ...), each optionally `.gz` or `.zst`;
 * and Parquet (`.parquet`, through DuckDB). Errors name the file (and the line, for JSONL).
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { getPath, isObject, parsePath } from '../core/document.js';
import { readJsonlFile, readTextFile } from '../io/whole-file.js';

export interface RecordOptions {
  /** JSON only: dotted path of the record list inside the top-level object. */
  records?: string;
  /** CSV only: whether the first row names the columns (default true). */
  header?: boolean;
}

export type RecordFormat = 'jsonl' | 'json' | 'csv' | 'parquet';

export function recordFormat(path: string): RecordFormat | null {
  const base = path.toLowerCase().replace(/\.(gz|zst)$/, '');
  if (base.endsWith('.jsonl') || base.endsWith('.ndjson')) return 'jsonl';
  if (base.endsWith('.json')) return 'json';
  if (base.endsWith('.csv')) return 'csv';
  if (path.toLowerCase().endsWith('.parquet')) return 'parquet';
  return null;
}

export async function readRecords(path: string, opts: RecordOptions = {}): Promise<unknown[]> {
  const format = recordFormat(path);
  switch (format) {
    case 'jsonl':
      return readJsonlFile(path);
    case 'json':
      return jsonRecords(path, opts.records);
    case 'csv':
      return parseCsv(readTextFile(path), opts.header ?? true, path);
    case 'parquet':
      return parquetRecords(path);
    default:
      throw new Error(`${path}: unknown file type (expected .jsonl, .json, .csv or .parquet, optionally .gz or .zst)`);
  }
}

function jsonRecords(path: string, listPath: string | undefined): unknown[] {
  let data: unknown;
  try {
    data = JSON.parse(readTextFile(path)) as unknown;
  } catch (e) {
    throw new Error(`${path}: invalid JSON: ${(e as Error).message}`);
  }
  if (listPath !== undefined) {
    const list = getPath(data, parsePath(listPath));
    if (!Array.isArray(list)) throw new Error(`${path}: "${listPath}" is not a list of records`);
    return list;
  }
  if (Array.isArray(data)) return data;
  if (isObject(data)) {
    const lists = Object.keys(data).filter((k) => Array.isArray(data[k]));
    if (lists.length === 1) return data[lists[0]!] as unknown[];
    throw new Error(
      `${path}: the top-level object holds ${lists.length === 0 ? 'no list' : `several lists (${lists.join(', ')})`}; set \`records:\` to the path of the record list`,
    );
  }
  throw new Error(`${path}: expected a list of records or an object holding one`);
}

/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks; CRLF or LF rows. */
export function parseCsv(text: string, header: boolean, path = 'CSV'): Record<string, string>[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let fieldStarted = false;
  for (; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += c;
      continue;
    }
    if (c === '"' && !fieldStarted) {
      quoted = true;
      fieldStarted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
      fieldStarted = false;
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      fieldStarted = false;
    } else {
      field += c;
      fieldStarted = true;
    }
  }
  if (quoted) throw new Error(`${path}: unterminated quoted field at the end of the file`);
  if (fieldStarted || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  const nonEmpty = rows.filter((r) => !(r.length === 1 && r[0] === ''));
  const width = nonEmpty.reduce((m, r) => Math.max(m, r.length), 0);
  const names = header && nonEmpty.length > 0 ? nonEmpty.shift()! : Array.from({ length: width }, (_, j) => `column${j}`);
  return nonEmpty.map((r) => {
    const rec: Record<string, string> = {};
    names.forEach((name, j) => {
      if (j < r.length) rec[name] = r[j]!;
    });
    return rec;
  });
}

async function parquetRecords(path: string): Promise<unknown[]> {
  const db = await DuckDBInstance.create(':memory:', { threads: '1' });
  const con = await db.connect();
  try {
    const reader = await con.runAndReadAll('SELECT to_json(t)::VARCHAR AS j FROM read_parquet($path) t', { path });
    return reader.getColumns()[0]!.map((v) => JSON.parse(String(v)) as unknown);
  } catch (e) {
    throw new Error(`${path}: cannot read Parquet: ${(e as Error).message}`);
  } finally {
    con.closeSync();
    db.closeSync();
  }
}
