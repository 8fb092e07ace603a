/**
 * Duplicate clusters of the dedup stages: each shard's applier writes its cluster members
 * (stats/dedup_members/<stage>-part-<shard>.parquet), and the run's last step merges them into
 * stats/dedup_clusters.parquet: one row per cluster with its size, the kept document and the
 * removed ones.
 */
import { existsSync, readdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { temporaryName } from '../io/shard-writer.js';
import { sqlString, withConnection } from './duckdb.js';
import { writeReport } from './reports.js';

export interface ClusterMember {
  cluster: number;
  size: number;
  id: string;
  line: number;
  kept: boolean;
}

export function membersFile(runDir: string, stage: string, shard: number): string {
  return join(runDir, 'stats', 'dedup_members', `${stage}-part-${String(shard).padStart(5, '0')}.parquet`);
}

export async function writeClusterMembers(runDir: string, stage: string, shard: number, shardLabel: string, members: readonly ClusterMember[]): Promise<void> {
  await writeReport(
    membersFile(runDir, stage, shard),
    [
      ['stage', 'VARCHAR'],
      ['cluster_id', 'BIGINT'],
      ['size', 'INTEGER'],
      ['id', 'VARCHAR'],
      ['shard', 'VARCHAR'],
      ['line', 'BIGINT'],
      ['kept', 'BOOLEAN'],
    ],
    members.map((m) => [stage, m.cluster, m.size, m.id, shardLabel, m.line, m.kept]),
  );
}

/** Writes stats/dedup_clusters.parquet from every stage's members (none: no file). */
export async function mergeClusterReports(runDir: string): Promise<void> {
  const dir = join(runDir, 'stats', 'dedup_members');
  if (!existsSync(dir) || !readdirSync(dir).some((f) => f.endsWith('.parquet') && !f.startsWith('.'))) return;
  const out = join(runDir, 'stats', 'dedup_clusters.parquet');
  const tmp = join(runDir, 'stats', temporaryName('dedup_clusters.parquet'));
  await withConnection(async (con) => {
    await con.run(
      `COPY (
         SELECT stage, cluster_id, any_value(size) AS size,
                any_value(id) FILTER (WHERE kept) AS kept_id,
                list(id ORDER BY shard, line) FILTER (WHERE NOT kept) AS removed_ids
         FROM read_parquet(${sqlString(join(dir, '*.parquet'))})
         GROUP BY stage, cluster_id ORDER BY stage, cluster_id
       ) TO ${sqlString(tmp)} (FORMAT parquet, COMPRESSION zstd)`,
    );
  });
  renameSync(tmp, out);
}
