import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Pool } from 'pg';
import type Redis from 'ioredis';
import type { Sink } from './pii-needles';
import { dumpRedis } from './private-redis';

/** Every file under `root` (bounded: 2,000 files, 20 MB each). */
export function fileSinks(root: string): Sink[] {
  const out: Sink[] = [];
  const walk = (dir: string, depth: number): void => {
    if (depth > 12 || out.length > 2000) return;
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      const st = statSync(p);
      if (st.isDirectory()) walk(p, depth + 1);
      else if (st.isFile() && st.size < 20 * 1024 * 1024) out.push({ sink: `file:${p}`, text: readFileSync(p).toString('latin1') });
    }
  };
  walk(root, 0);
  return out;
}

export async function redisSinks(client: Redis, exclude: RegExp[] = []): Promise<Sink[]> {
  return (await dumpRedis(client, exclude)).map((k) => ({ sink: `redis:${k.type}:${k.key}`, text: `${k.key}\n${k.text}` }));
}

/** Every row of every table of a PostgreSQL schema, as row text. */
export async function postgresSinks(pg: Pool, schema: string): Promise<Sink[]> {
  const tables = (await pg.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE'`, [schema])).rows as { table_name: string }[];
  const out: Sink[] = [];
  for (const { table_name } of tables) {
    const rows = (await pg.query(`SELECT t::text AS row FROM "${schema}"."${table_name.replace(/"/g, '""')}" t LIMIT 100000`)).rows as { row: string }[];
    out.push({ sink: `postgres:${schema}.${table_name}`, text: rows.map((r) => r.row).join('\n') });
  }
  return out;
}
