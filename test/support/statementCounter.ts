import {
  PostgresQueryCompiler,
  type KyselyPlugin,
  type OperationNode,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';
import type { DatabaseHandle } from '../../server/platform/db/database.js';

/** One statement the app sent through Kysely. */
export interface Statement {
  /** select, insert, update, delete, or raw (a sql`` template), ... */
  kind: string;
  /** The table the statement reads or writes first (its FROM, INTO or UPDATE), when it names one. */
  table: string | undefined;
  sql: string;
}

/**
 * A Kysely plugin that records every statement executed through the Kysely instance it is added to
 * (db.withPlugin(counter)), in transactions too. Kysely hands every query to its plugins'
 * transformQuery before compiling it, query builders and raw sql`` templates alike (a RawBuilder's
 * execute() transforms its RawNode through the executor's plugins too), and every result to their
 * transformResult. transformQuery alone would over-count: a builder made from the database and
 * embedded in another query (sql`array(${query})`) is transformed but never runs. So the statement
 * is noted in transformQuery under its query id and counted when its result comes back: what is
 * counted is what ran and answered. Not counted: a statement that failed, and the driver's own
 * begin, commit, rollback and savepoints, which bypass plugins.
 */
export interface StatementCounter extends KyselyPlugin {
  readonly statements: readonly Statement[];
  reset(): void;
  /** The statements executed while `body` ran (measures may nest). */
  measure<T>(body: () => Promise<T>): Promise<{ result: T; statements: Statement[] }>;
}

const compiler = new PostgresQueryCompiler();

const KINDS: Record<string, string> = {
  SelectQueryNode: 'select',
  InsertQueryNode: 'insert',
  UpdateQueryNode: 'update',
  DeleteQueryNode: 'delete',
  MergeQueryNode: 'merge',
  RawNode: 'raw',
};

export function statementCounter(): StatementCounter {
  let statements: Statement[] = [];
  const pending = new WeakMap<object, Statement>();
  return {
    get statements() {
      return statements;
    },
    reset() {
      statements = [];
    },
    async measure(body) {
      const from = statements.length;
      const result = await body();
      return { result, statements: statements.slice(from) };
    },
    transformQuery({ node, queryId }: PluginTransformQueryArgs): RootOperationNode {
      const { sql } = compiler.compileQuery(node, queryId);
      pending.set(queryId, { kind: KINDS[node.kind] ?? node.kind, table: tableOf(node, sql), sql });
      return node;
    },
    transformResult({ result, queryId }: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
      const statement = pending.get(queryId);
      if (statement) statements.push(statement);
      return Promise.resolve(result);
    },
  };
}

/** The name of a TableNode, or of the table an AliasNode aliases. */
function tableName(node: OperationNode | undefined): string | undefined {
  if (!node) return undefined;
  if (node.kind === 'AliasNode') return tableName((node as unknown as { node: OperationNode }).node);
  if (node.kind === 'TableNode') {
    return (node as unknown as { table: { identifier: { name: string } } }).table.identifier.name;
  }
  return undefined;
}

function tableOf(node: RootOperationNode, sql: string): string | undefined {
  const shape = node as unknown as {
    from?: { froms: OperationNode[] };
    into?: OperationNode;
    table?: OperationNode;
  };
  switch (node.kind) {
    case 'SelectQueryNode':
    case 'DeleteQueryNode':
      return tableName(shape.from?.froms[0]);
    case 'InsertQueryNode':
      return tableName(shape.into);
    case 'UpdateQueryNode':
      return tableName(shape.table);
    case 'RawNode':
      return /\b(?:from|into|update)\s+"?([a-z_]+)"?/i.exec(sql)?.[1];
    default:
      return undefined;
  }
}

/** The same database with the counter on every query its services run. */
export function counted(handle: DatabaseHandle, counter: StatementCounter): DatabaseHandle {
  return { ...handle, db: handle.db.withPlugin(counter) };
}

/** Statements as "kind table" per line, for a failing assertion's message or a report. */
export function describeStatements(statements: readonly Statement[]): string {
  return statements.map((s, i) => `${String(i + 1).padStart(3)} ${s.kind} ${s.table ?? '-'}: ${s.sql}`).join('\n');
}

/** How many statements of each kind on each table: { 'select settings': 4, ... }. */
export function tallyStatements(statements: readonly Statement[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const s of statements) {
    const key = `${s.kind} ${s.table ?? '-'}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}
