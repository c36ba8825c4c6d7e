import type { Express } from 'express';
import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, sql } from 'kysely';
import type { Db } from '../../server/platform/db/database.js';
import type { Database } from '../../server/platform/db/schema.js';
import { testApp } from './app.js';

/** One route of the app as Express holds it: the method and the full path pattern (`/staff/cases/:id`). */
export interface RouteEntry {
  method: string;
  path: string;
}

/** The parts of an Express 5 (router 2) layer the walk reads. */
interface LayerLike {
  rawPath?: unknown;
  route?: { path: unknown; methods: Record<string, boolean | undefined> };
  handle?: { stack?: LayerLike[] };
}

const join = (prefix: string, path: string) => (path === '/' ? prefix || '/' : `${prefix}${path}`);

/**
 * Every route of the app, read from its router stacks (app.router in Express 5, app._router in 4)
 * and the routers mounted in them, in the order Express tries them. A path that is not a string
 * (a RegExp, an array) fails loudly: the sweeps built on this list must see every route.
 */
export function listRoutes(app: Express): RouteEntry[] {
  const holder = app as unknown as { router?: { stack: LayerLike[] }; _router?: { stack: LayerLike[] } };
  const root = holder.router ?? holder._router;
  if (!root) throw new Error('the app has no router stack to walk');
  const routes: RouteEntry[] = [];
  const walk = (stack: LayerLike[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const path = layer.route.path;
        if (typeof path !== 'string') throw new Error(`a route under ${prefix || '/'} has a path that is not a string`);
        for (const [method, on] of Object.entries(layer.route.methods)) {
          if (on && method !== '_all') routes.push({ method: method.toUpperCase(), path: join(prefix, path) });
        }
      } else if (layer.handle?.stack) {
        const mount = layer.rawPath;
        if (typeof mount !== 'string')
          throw new Error(`a router under ${prefix || '/'} is mounted on a non-string path`);
        walk(layer.handle.stack, mount === '/' ? prefix : join(prefix, mount));
      }
    }
  };
  walk(root.stack, '');
  return routes;
}

/**
 * The app's routes without a database: the app is built on one whose driver answers nothing and
 * never connects. For a describe block to make one test per route when the file loads.
 */
export function routeTable(): RouteEntry[] {
  const db = new Kysely<Database>({
    dialect: {
      createAdapter: () => new PostgresAdapter(),
      createDriver: () => new DummyDriver(),
      createIntrospector: (k) => new PostgresIntrospector(k),
      createQueryCompiler: () => new PostgresQueryCompiler(),
    },
  });
  const handle = { db, kind: 'postgres' as const, ping: async () => undefined, close: () => db.destroy() };
  return listRoutes(testApp(handle).app);
}

/** The names of a path pattern's parameters: `/a/:id/b/:itemId` → ['id', 'itemId']. */
export const paramsOf = (path: string) => [...path.matchAll(/:(\w+)/g)].map((m) => m[1]!);

/**
 * A fingerprint of every table of the database: its row count and an md5 of its rows as text,
 * to show that a request changed nothing (not even an UPDATE that keeps the count).
 */
export async function fingerprint(db: Db): Promise<Map<string, { rows: number; md5: string }>> {
  const tables = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(db);
  const result = new Map<string, { rows: number; md5: string }>();
  for (const { name } of tables.rows) {
    const { rows } = await sql<{ rows: number | string; md5: string | null }>`
      select count(*) as rows, md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as md5
      from ${sql.table(name)} t`.execute(db);
    result.set(name, { rows: Number(rows[0]!.rows), md5: rows[0]!.md5 ?? '' });
  }
  return result;
}

/** The tables whose rows differ between two fingerprints, with their counts before and after. */
export function changedTables(
  before: Map<string, { rows: number; md5: string }>,
  after: Map<string, { rows: number; md5: string }>,
): Record<string, string> {
  const changed: Record<string, string> = {};
  for (const name of new Set([...before.keys(), ...after.keys()])) {
    const a = before.get(name);
    const b = after.get(name);
    if (a?.md5 !== b?.md5) changed[name] = `${a?.rows ?? '-'} → ${b?.rows ?? '-'} rows`;
  }
  return changed;
}
