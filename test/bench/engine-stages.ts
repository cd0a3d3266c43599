/**
 * Engine figures: CSV load, evaluating the 50 segments, the 50×50 overlap
 * matrix — each against DuckDB on the same data in the same process.
 */
import { basename, dirname, join } from 'node:path';
import type { Table } from '../../server/src/core/data/table.js';
import { loadDataset } from '../../server/src/core/data/index.js';
import { NodeHost } from '../../server/src/node/fs-host.js';
import { blockLoading } from '../../server/src/node/block-workers.js';
import { parse } from '../../server/src/core/syntax/index.js';
import { prop, type DatasetDecl, type FieldDecl } from '../../server/src/core/syntax/ast.js';
import { buildModel, type FieldTypeInfo, type WorkspaceModel } from '../../server/src/core/semantics/index.js';
import { popcount, type Bitset } from '../../server/src/core/engine/bitset.js';
import { compilePredicate, newSharedCache, type CompileContext } from '../../server/src/core/engine/compile.js';
import { overlapMatrix } from '../../server/src/core/engine/stats.js';
import { daysFromIso } from '../../server/src/core/engine/dates.js';
import { usersDataset } from './gen-users.js';
import { BENCH_SEGMENTS, benchSpec } from './segments.js';
import type { BenchContext, Stage } from './harness.js';

const AS_OF = '2026-06-30';

export function fieldDecls(): FieldDecl[] {
  const ast = parse(usersDataset('users.csv', AS_OF));
  const decl = ast.declarations.find((d): d is DatasetDecl => d.type === 'Dataset');
  return decl ? (prop(decl, 'fields')?.fields ?? []) : [];
}

const NO_RANGE = { start: { line: 0, character: 0, offset: 0 }, end: { line: 0, character: 0, offset: 0 } };

/**
 * The CSV loaded the way the CLI loads it: through the file-system host, in
 * blocks on worker threads (data/blocks.ts, node/block-workers.ts), or with
 * SEGSPEC_LOAD_THREADS=off (or one core) in pieces on this thread.
 */
async function loadOurs(ctx: BenchContext): Promise<Table> {
  const loaded = await loadDataset({
    host: new NodeHost(),
    blocks: blockLoading(),
    specFile: join(dirname(ctx.csvPath), 'bench.segspec'),
    workspaceRoot: dirname(ctx.csvPath),
    source: basename(ctx.csvPath),
    sourceRange: NO_RANGE,
    declaredFields: fieldDecls(),
    keyField: 'user_id',
  });
  if (!loaded.table) throw new Error(`load failed: ${loaded.findings.map((f) => f.message).join('; ')}`);
  return loaded.table;
}

function modelFor(table: Table): WorkspaceModel {
  const text = benchSpec(usersDataset('users.csv', AS_OF));
  const fieldTypes = new Map<string, FieldTypeInfo>(table.columns.map((c) => [c.name, { type: c.type, optional: true, inferred: true }]));
  return buildModel('/bench', [{ path: '/bench/bench.segspec', text, version: 0, ast: parse(text) }], {
    dataFieldTypes: new Map([['users', fieldTypes]]),
  }).model;
}

/** All 50 segments evaluated from scratch (fresh caches), members and sizes. */
function evaluateAll(table: Table, model: WorkspaceModel): { members: Bitset[]; sizes: number[] } {
  const ctx: CompileContext = {
    table,
    today: daysFromIso(AS_OF)!,
    resolve: (name) => model.names.get(name) ?? { kind: 'unknown' },
    segmentBits: () => undefined,
    shared: newSharedCache(),
  };
  const members: Bitset[] = [];
  const sizes: number[] = [];
  for (const name of model.segmentOrder) {
    const where = model.segments.get(name)?.where;
    if (!where) throw new Error(`segment ${name} has no rule`);
    const tri = compilePredicate(where, ctx)();
    members.push(tri.t);
    sizes.push(popcount(tri.t));
  }
  return { members, sizes };
}

const duckUsersTable = (csvPath: string) =>
  `CREATE OR REPLACE TABLE users AS SELECT * REPLACE (string_split(integrations, ';') AS integrations) FROM read_csv('${csvPath.replace(/'/g, "''")}', header = true)`;

const countQuery = `SELECT ${BENCH_SEGMENTS.map(([, sql], i) => `count_if(${sql}) AS c${i}`).join(', ')} FROM users`;

const pairs: Array<[number, number]> = [];
for (let i = 0; i < BENCH_SEGMENTS.length; i++) for (let j = i + 1; j < BENCH_SEGMENTS.length; j++) pairs.push([i, j]);

export const engineStages: Stage[] = [
  {
    name: 'load users CSV',
    beforeEach: (ctx) => {
      ctx.state.delete('table');
    },
    ours: async (ctx) => {
      ctx.state.set('table', await loadOurs(ctx));
    },
    peer: {
      setup: async (_ctx, duck) => {
        await duck.sql("SET TimeZone = 'UTC'");
      },
      run: async (ctx, duck) => {
        await duck.sql(duckUsersTable(ctx.csvPath));
      },
    },
  },
  {
    name: 'evaluate 50 segments',
    runs: 5,
    warmup: 1,
    beforeEach: (ctx) => {
      ctx.state.delete('members');
    },
    setup: (ctx) => {
      const table = ctx.state.get('table') as Table;
      ctx.state.set('model', modelFor(table));
    },
    ours: (ctx) => {
      const result = evaluateAll(ctx.state.get('table') as Table, ctx.state.get('model') as WorkspaceModel);
      ctx.state.set('members', result.members);
      ctx.state.set('sizes', result.sizes);
    },
    peer: {
      run: async (ctx, duck) => {
        const row = (await duck.sql(countQuery))[0];
        ctx.state.set('duckSizes', BENCH_SEGMENTS.map((_, i) => Number(row[`c${i}`])));
      },
    },
  },
  {
    name: 'overlap matrix 50x50',
    runs: 5,
    warmup: 1,
    ours: (ctx) => {
      const members = ctx.state.get('members') as Bitset[];
      const stats = overlapMatrix(members.map((m, i) => ({ name: `s${i}`, members: m })));
      ctx.state.set('overlaps', stats.map((s) => s.count));
    },
    peer: {
      setup: async (_ctx, duck) => {
        const cols = BENCH_SEGMENTS.map(([, sql], i) => `coalesce(${sql}, false) AS m${i}`).join(', ');
        await duck.sql(`CREATE OR REPLACE TABLE members AS SELECT ${cols} FROM users`);
      },
      run: async (ctx, duck) => {
        const row = (await duck.sql(`SELECT ${pairs.map(([i, j]) => `count_if(m${i} AND m${j}) AS p${i}_${j}`).join(', ')} FROM members`))[0];
        ctx.state.set('duckOverlaps', pairs.map(([i, j]) => Number(row[`p${i}_${j}`])));
      },
    },
  },
];

/** Differences between our counts and DuckDB's (empty when they agree). */
export function crossCheck(ctx: BenchContext): string[] {
  const problems: string[] = [];
  const ours = ctx.state.get('sizes') as number[] | undefined;
  const duck = ctx.state.get('duckSizes') as number[] | undefined;
  if (ours && duck) {
    BENCH_SEGMENTS.forEach(([where], i) => {
      if (ours[i] !== duck[i]) problems.push(`segment ${i + 1} (${where}): engine ${ours[i]}, DuckDB ${duck[i]}`);
    });
  }
  const ov = ctx.state.get('overlaps') as number[] | undefined;
  const duckOv = ctx.state.get('duckOverlaps') as number[] | undefined;
  if (ov && duckOv) {
    const bad = ov.filter((c, k) => c !== duckOv[k]).length;
    if (bad > 0) problems.push(`${bad} overlap counts differ from DuckDB`);
  }
  return problems;
}
