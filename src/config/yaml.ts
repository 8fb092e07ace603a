/**
 * Reading YAML config files with every problem reported as `file:line:col: key: message`: YAML
 * syntax errors, and schema (zod) issues mapped back to the node they are about (for an unknown key,
 * the key itself, with a suggestion when it looks misspelled). Configs are data only: YAML tags that
 * would construct objects are rejected, and nothing in a config is executed.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`invalid config ${file}:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export type IssuePath = readonly PropertyKey[];

/** A config file's absolute path and text; an unreadable file is a ConfigError naming it. */
export function readConfigFile(file: string): { configPath: string; text: string } {
  const configPath = resolve(file);
  try {
    return { configPath, text: readFileSync(configPath, 'utf8') };
  } catch (e) {
    throw new ConfigError(file, [`${file}: cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`]);
  }
}

export interface ParsedYaml {
  /** The document as plain data ({} when empty). */
  data: unknown;
  /** `file:line:col: key: message` for the node at `path` (or its nearest ancestor). */
  report(path: IssuePath, message: string): string;
}

/** Parses YAML text; syntax errors throw a ConfigError listing each with its position. */
export function parseYaml(text: string, file: string): ParsedYaml {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, customTags: [] });
  const where = (offset: number | undefined): string => {
    if (offset === undefined) return file;
    const { line, col } = lines.linePos(offset);
    return `${file}:${line}:${col}`;
  };
  const yamlProblems = [...doc.errors, ...doc.warnings].map((e) => `${where(e.pos[0])}: ${e.message.split('\n')[0]}`);
  if (yamlProblems.length > 0) throw new ConfigError(file, yamlProblems);
  let data: unknown;
  try {
    // Aliases are expanded at most 100 times: a small file cannot blow up into a huge one.
    data = doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (e) {
    throw new ConfigError(file, [`${file}: ${(e as Error).message}`]);
  }
  return {
    data,
    report(path, message) {
      const key = path.length > 0 ? path.map(String).join('.') : '(top level)';
      return `${where(offsetOf(doc, path))}: ${key}: ${message}`;
    },
  };
}

/** One problem line per zod issue; unknown keys get a "did you mean" from `knownKeys`. */
export function issuesToProblems(
  issues: readonly z.core.$ZodIssue[],
  base: IssuePath,
  report: (path: IssuePath, message: string) => string,
  knownKeys: readonly string[],
): string[] {
  const out: string[] = [];
  for (const issue of issues) {
    const path = [...base, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) out.push(report([...path, key], `unknown key "${key}"${suggest(key, knownKeys)}`));
    } else {
      out.push(report(path, issue.message));
    }
  }
  return out;
}

/** Parses YAML and validates it against a schema; throws a ConfigError with every problem. */
export function parseYamlWith<S extends z.ZodType>(text: string, file: string, schema: S, knownKeys: readonly string[]): { value: z.output<S>; report: ParsedYaml['report'] } {
  const { data, report } = parseYaml(text, file);
  const r = schema.safeParse(data);
  if (!r.success) throw new ConfigError(file, issuesToProblems(r.error.issues, [], report, knownKeys));
  return { value: r.data, report };
}

/** Offset of the node at `path` (for a key: the key itself), or of its nearest ancestor. */
function offsetOf(doc: Document, path: IssuePath): number | undefined {
  let node: unknown = doc.contents;
  let offset = (node as Node | null)?.range?.[0];
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key);
      if (!pair) return offset;
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value;
      if (path[path.length - 1] === key && node === null) return offset;
    } else if (isSeq(node) && typeof key === 'number') {
      node = node.items[key];
      offset = (node as Node | undefined)?.range?.[0] ?? offset;
    } else {
      return offset;
    }
  }
  const last = path[path.length - 1];
  if (typeof last === 'string') return offset; // point at the key, not its value
  return (node as Node | null)?.range?.[0] ?? offset;
}

/** " (did you mean ...?)" for a misspelled key. */
function suggest(key: string, knownKeys: readonly string[]): string {
  let best: string | undefined;
  let bestDistance = 3;
  for (const k of knownKeys) {
    const d = editDistance(k, key);
    if (d < bestDistance) [best, bestDistance] = [k, d];
  }
  return best ? ` (did you mean "${best}"?)` : '';
}

/** Edits (insert, delete, replace, swap two neighbours) between two short strings. */
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}
