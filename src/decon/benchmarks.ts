/**
 * The benchmarks file: which benchmark items to decontaminate against, and where their text is.
 *
 * ```yaml
 * benchmarks:
 *   - name: gsm8k
 *     files: ../data/gsm8k/test.jsonl          # globs or files, relative to this file
 *     fields: [question, answer]               # each entry is one part of an item
 *   - name: siqa
 *     split: test
 *     files: [../data/siqa/test.jsonl]
 *     fields: [[context, centerpiece], options] # a list of paths: one part, joined in order
 *     id_field: id                             # optional; default: the record's position
 * ```
 *
 * Each record of a benchmark's files (files in path order, records in file order) is one item. A field is a
 * dotted path; lists met on the way are walked element by element (`choices.text` on a list of
 * choice objects), `*` walks every element or value (`options.*`), and a list of strings at the end
 * gives each string (`options`). Strings and numbers are text; anything else is not. Each `fields`
 * entry is one part of the item: parts are indexed and matched on their own (see `index-table.ts`),
 * so a document holding only the question of a multiple-choice item still matches (when the
 * question has at least min_words words).
 *
 * `records:` names the record list inside a JSON object (default: its only list); `header: false`
 * reads a CSV without a header row (columns `column0`, `column1`, ...).
 */
import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { glob } from 'tinyglobby';
import { z } from 'zod';
import { getPath, isObject, parsePath, type FieldPath } from '../core/document.js';
import { ConfigError, issuesToProblems, parseYaml } from '../config/yaml.js';
import { readRecords } from './records.js';

const path = z.string().min(1, 'empty field path');
const entrySchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'use letters, digits, "_", "-" and "." only'),
  split: z.string().min(1).optional(),
  files: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
  fields: z.array(z.union([path, z.array(path).min(1)])).min(1),
  id_field: z.string().min(1).optional(),
  records: z.string().min(1).optional(),
  header: z.boolean().optional(),
});
const fileSchema = z.strictObject({ benchmarks: z.array(z.unknown()).min(1) });

export type BenchmarkEntry = z.output<typeof entrySchema>;

export interface BenchmarkInfo {
  name: string;
  split: string | null;
  /** Resolved file paths, in reading order. */
  files: string[];
  /** One name per part: its path, or its paths joined by "+". */
  parts: string[];
  items: number;
  /** Per part: how many items have no text there. */
  missing: number[];
}

export interface BenchmarkItem {
  /** Position of the benchmark in `LoadedBenchmarks.benchmarks`. */
  bench: number;
  /** Position of the record within its benchmark (0-based). */
  index: number;
  /** The record's `id_field` value, or its position. */
  id: string;
  /** Per part, its texts in order. */
  parts: string[][];
}

export interface LoadedBenchmarks {
  file: string;
  benchmarks: BenchmarkInfo[];
  items: BenchmarkItem[];
}

const ENTRY_KEYS = Object.keys(entrySchema.shape);

/** Reads and validates a benchmarks file, then every benchmark's records. */
export async function loadBenchmarks(file: string): Promise<LoadedBenchmarks> {
  const absolute = resolve(file);
  let text: string;
  try {
    text = readFileSync(absolute, 'utf8');
  } catch (e) {
    throw new ConfigError(absolute, [`${absolute}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`]);
  }
  const entries = parseBenchmarksYaml(text, absolute);
  const dir = dirname(absolute);
  const benchmarks: BenchmarkInfo[] = [];
  const items: BenchmarkItem[] = [];
  const problems: string[] = [];
  for (const { entry, report } of entries) {
    try {
      const { info, records, firstKeys } = await loadEntry(entry, dir, benchmarks.length);
      const partProblems = info.missing.flatMap((m, p) =>
        m === info.items && info.items > 0 ? [report(['fields', p], `no record has text at "${info.parts[p]}" (the first record has: ${firstKeys})`)] : [],
      );
      if (info.items === 0) problems.push(report(['files'], `no records in ${info.files.map((f) => relative(dir, f)).join(', ')}`));
      problems.push(...partProblems);
      benchmarks.push(info);
      for (const item of records) items.push(item);
    } catch (e) {
      problems.push(report(['files'], (e as Error).message));
    }
  }
  if (problems.length > 0) throw new ConfigError(absolute, problems);
  return { file: absolute, benchmarks, items };
}

interface ParsedEntry {
  entry: BenchmarkEntry;
  report: (path: readonly PropertyKey[], message: string) => string;
}

/** Validates the YAML text; every problem at once, each as `file:line:col: key: message`. */
export function parseBenchmarksYaml(text: string, file: string): ParsedEntry[] {
  const { data, report } = parseYaml(text, file);
  const top = fileSchema.safeParse(data);
  if (!top.success) throw new ConfigError(file, issuesToProblems(top.error.issues, [], report, ['benchmarks']));
  const problems: string[] = [];
  const out: ParsedEntry[] = [];
  const seen = new Set<string>();
  top.data.benchmarks.forEach((raw, i) => {
    const base = ['benchmarks', i] as const;
    const parsed = entrySchema.safeParse(raw);
    if (!parsed.success) {
      problems.push(...issuesToProblems(parsed.error.issues, base, report, ENTRY_KEYS));
      return;
    }
    const key = `${parsed.data.name}\u0000${parsed.data.split ?? ''}`;
    if (seen.has(key)) {
      problems.push(report([...base, 'name'], `benchmark "${parsed.data.name}"${parsed.data.split ? ` split "${parsed.data.split}"` : ''} is listed twice; give the entries distinct splits`));
      return;
    }
    seen.add(key);
    out.push({ entry: parsed.data, report: (path, message) => report([...base, ...path], message) });
  });
  if (problems.length > 0) throw new ConfigError(file, problems);
  return out;
}

async function loadEntry(entry: BenchmarkEntry, dir: string, bench: number): Promise<{ info: BenchmarkInfo; records: BenchmarkItem[]; firstKeys: string }> {
  const patterns = typeof entry.files === 'string' ? [entry.files] : entry.files;
  const files: string[] = [];
  for (const pattern of patterns) {
    const found = (await glob([pattern], { cwd: dir, absolute: true, onlyFiles: true })).sort();
    if (found.length === 0) throw new Error(`no file matches "${pattern}" (relative to ${dir})`);
    for (const f of found) if (!files.includes(f)) files.push(f);
  }
  const partPaths = entry.fields.map((f) => (typeof f === 'string' ? [f] : f).map(parsePath));
  const parts = entry.fields.map((f) => (typeof f === 'string' ? f : f.join('+')));
  const missing = parts.map(() => 0);
  const idPath = entry.id_field ? parsePath(entry.id_field) : null;
  const records: BenchmarkItem[] = [];
  let firstKeys = '';
  for (const f of files) {
    for (const rec of await readRecords(f, { records: entry.records, header: entry.header })) {
      if (records.length === 0) firstKeys = isObject(rec) ? Object.keys(rec).join(', ') : typeof rec;
      const index = records.length;
      const texts = partPaths.map((paths, p) => {
        const out: string[] = [];
        for (const fp of paths) collectTexts(rec, fp, 0, out);
        const kept = out.filter((t) => t.trim() !== '');
        if (kept.length === 0) missing[p]!++;
        return kept;
      });
      const idValue = idPath ? getPath(rec, idPath) : undefined;
      const id = typeof idValue === 'string' || typeof idValue === 'number' ? String(idValue) : String(index);
      records.push({ bench, index, id, parts: texts });
    }
  }
  return { info: { name: entry.name, split: entry.split ?? null, files, parts, items: records.length, missing }, records, firstKeys };
}

/** Appends the texts at `path` (from position `at`) under `value` to `out`. */
export function collectTexts(value: unknown, path: FieldPath, at: number, out: string[]): void {
  if (value === null || value === undefined) return;
  if (at === path.length) {
    if (typeof value === 'string') out.push(value);
    else if (typeof value === 'number') out.push(String(value));
    else if (Array.isArray(value)) for (const v of value) collectTexts(v, path, at, out);
    return;
  }
  const key = path[at]!;
  if (key === '*') {
    if (Array.isArray(value)) for (const v of value) collectTexts(v, path, at + 1, out);
    else if (isObject(value)) for (const v of Object.values(value)) collectTexts(v, path, at + 1, out);
    return;
  }
  if (Array.isArray(value)) {
    if (typeof key === 'number') collectTexts(value[key], path, at + 1, out);
    else for (const v of value) collectTexts(v, path, at, out);
    return;
  }
  if (isObject(value)) collectTexts(value[String(key)], path, at + 1, out);
}
