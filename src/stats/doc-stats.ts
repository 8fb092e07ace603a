/**
 * Per-document stats: one row per document per filter stage (id, shard, stage, keep, reason, and one
 * column per metric the stage recorded), gathered in columns and written as Parquet parts. Each part
 * has the columns its rows use; readers combine parts by column name.
 */
import { mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import type { MetricValue, Metrics } from '../core/filter.js';
import { temporaryName } from '../io/shard-writer.js';
import { sqlIdent, sqlString, withConnection } from './duckdb.js';

const ROWS_PER_PART = 500_000;
const FIXED = ['id', 'shard', 'stage', 'keep', 'reason'];

type ColumnType = 'DOUBLE' | 'VARCHAR' | 'BOOLEAN';

interface MetricColumn {
  /** Set by the first non-null value. */
  type: ColumnType | null;
  values: MetricValue[];
}

export class DocStatsWriter {
  private ids: string[] = [];
  private stages: string[] = [];
  private keeps: boolean[] = [];
  private reasons: (string | null)[] = [];
  private metrics = new Map<string, MetricColumn>();
  private part = 0;
  private readonly files: string[] = [];

  /** Parts are `<dir>/<prefix>-<part>.parquet`. */
  constructor(
    private readonly dir: string,
    private readonly prefix: string,
    private readonly shard: string,
  ) {}

  get pendingRows(): number {
    return this.ids.length;
  }

  add(id: string, stage: string, keep: boolean, reason: string | null, metrics: Metrics): void {
    const row = this.ids.length;
    this.ids.push(id);
    this.stages.push(stage);
    this.keeps.push(keep);
    this.reasons.push(reason);
    for (const name in metrics) {
      const value = metrics[name]!;
      let col = this.metrics.get(name);
      if (col === undefined) {
        if (FIXED.includes(name)) throw new Error(`stage ${stage} records a metric named "${name}", which is a reserved column`);
        col = { type: null, values: [] };
        this.metrics.set(name, col);
      }
      if (col.type === null && value !== null) col.type = typeOf(value);
      while (col.values.length < row) col.values.push(null);
      col.values.push(value);
    }
  }

  /** True when enough rows are gathered that a part should be written now. */
  get full(): boolean {
    return this.ids.length >= ROWS_PER_PART;
  }

  /** Writes the gathered rows as one Parquet part (if any). */
  async flush(): Promise<void> {
    const n = this.ids.length;
    if (n === 0) return;
    const name = `${this.prefix}-${String(this.part).padStart(3, '0')}.parquet`;
    this.part++;
    mkdirSync(this.dir, { recursive: true });
    const tmp = join(this.dir, temporaryName(name));
    const table = `docstats_${process.pid}_${Math.random().toString(36).slice(2)}`;
    const metricCols = [...this.metrics.entries()].map(([m, c]) => [m, { type: c.type ?? 'VARCHAR', values: c.values }] as const);
    await withConnection(async (con) => {
      const cols = ['id VARCHAR', 'shard VARCHAR', 'stage VARCHAR', 'keep BOOLEAN', 'reason VARCHAR', ...metricCols.map(([m, c]) => `${sqlIdent(m)} ${c.type}`)];
      await con.run(`CREATE TEMP TABLE ${table} (${cols.join(', ')})`);
      try {
        const app = await con.createAppender(table);
        for (let i = 0; i < n; i++) {
          app.appendVarchar(this.ids[i]!);
          app.appendVarchar(this.shard);
          app.appendVarchar(this.stages[i]!);
          app.appendBoolean(this.keeps[i]!);
          const r = this.reasons[i]!;
          if (r === null) app.appendNull();
          else app.appendVarchar(r);
          for (const [, c] of metricCols) appendValue(app, c.type, c.values[i] ?? null);
          app.endRow();
        }
        app.closeSync();
        await con.run(`COPY ${table} TO ${sqlString(tmp)} (FORMAT parquet, COMPRESSION zstd)`);
      } finally {
        await con.run(`DROP TABLE IF EXISTS ${table}`);
      }
    });
    renameSync(tmp, join(this.dir, name));
    this.files.push(name);
    this.ids = [];
    this.stages = [];
    this.keeps = [];
    this.reasons = [];
    for (const c of this.metrics.values()) c.values = [];
  }

  async close(): Promise<string[]> {
    await this.flush();
    return this.files;
  }
}

function typeOf(v: NonNullable<MetricValue>): ColumnType {
  return typeof v === 'number' ? 'DOUBLE' : typeof v === 'boolean' ? 'BOOLEAN' : 'VARCHAR';
}

interface Appender {
  appendNull(): void;
  appendDouble(v: number): void;
  appendVarchar(v: string): void;
  appendBoolean(v: boolean): void;
}

/** Appends a value to a column of the given type; a value of another type is converted or nulled. */
function appendValue(app: Appender, type: ColumnType, v: MetricValue): void {
  if (v === null) app.appendNull();
  else if (type === 'VARCHAR') app.appendVarchar(String(v));
  else if (type === 'DOUBLE') {
    if (typeof v === 'number') app.appendDouble(v);
    else if (typeof v === 'boolean') app.appendDouble(v ? 1 : 0);
    else app.appendNull();
  } else if (typeof v === 'boolean') app.appendBoolean(v);
  else app.appendNull();
}
