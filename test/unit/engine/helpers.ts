/**
 * Small builders for engine tests: hand-made tables and expressions parsed
 * from source text.
 */
import type { Column, ColumnType, Table } from '../../../server/src/core/data/table.js';
import { parse } from '../../../server/src/core/syntax/index.js';
import { prop, type Expr, type RecordLiteral, type SegmentDecl } from '../../../server/src/core/syntax/ast.js';
import { daysFromIso } from '../../../server/src/core/engine/dates.js';
import { hasBit, type Bitset } from '../../../server/src/core/engine/bitset.js';
import { evaluatePredicate, newSharedCache, type CompileContext } from '../../../server/src/core/engine/compile.js';
import { evalPredicate, evalValue, type EvalEnv } from '../../../server/src/core/engine/reference.js';
import { resolveByTable, rowRecord } from '../../../server/src/core/engine/records.js';
import { aggregateValues } from '../../../server/src/core/engine/aggregates.js';
import type { Truth, Value } from '../../../server/src/core/engine/values.js';
import { buildModel, type FieldTypeInfo, type ParsedFile, type WorkspaceModel } from '../../../server/src/core/semantics/index.js';

export type Cell = string | number | boolean | string[] | number[] | null;

export interface ColumnSpec {
  name: string;
  type: ColumnType;
  values: Cell[];
}

function dictionaryOf(): { dictionary: string[]; code: (s: string) => number } {
  const dictionary: string[] = [];
  const index = new Map<string, number>();
  return {
    dictionary,
    code: (s) => {
      let c = index.get(s);
      if (c === undefined) {
        c = dictionary.length;
        dictionary.push(s);
        index.set(s, c);
      }
      return c;
    },
  };
}

function buildColumn(spec: ColumnSpec): Column {
  const n = spec.values.length;
  const missing = new Uint8Array(n);
  spec.values.forEach((v, i) => (missing[i] = v === null ? 1 : 0));
  switch (spec.type) {
    case 'integer':
    case 'number':
    case 'date':
    case 'datetime': {
      const values = new Float64Array(n);
      spec.values.forEach((v, i) => {
        if (v === null) return;
        if (spec.type === 'date') values[i] = typeof v === 'string' ? (daysFromIso(v) ?? NaN) : Number(v);
        else if (spec.type === 'datetime') values[i] = typeof v === 'string' ? Date.parse(v) : Number(v);
        else values[i] = Number(v);
      });
      return { kind: 'numeric', type: spec.type, name: spec.name, missing, values };
    }
    case 'string':
    case 'enum':
    case 'semver': {
      const d = dictionaryOf();
      const codes = new Int32Array(n);
      spec.values.forEach((v, i) => (codes[i] = v === null ? -1 : d.code(String(v))));
      return { kind: 'dictionary', type: spec.type, name: spec.name, missing, codes, dictionary: d.dictionary };
    }
    case 'boolean': {
      const values = new Uint8Array(n);
      spec.values.forEach((v, i) => (values[i] = v === true ? 1 : 0));
      return { kind: 'boolean', type: 'boolean', name: spec.name, missing, values };
    }
    case 'list<string>': {
      const d = dictionaryOf();
      const offsets = new Int32Array(n + 1);
      const items: number[] = [];
      spec.values.forEach((v, i) => {
        if (Array.isArray(v)) for (const s of v) items.push(d.code(String(s)));
        offsets[i + 1] = items.length;
      });
      return {
        kind: 'stringList',
        type: 'list<string>',
        name: spec.name,
        missing,
        offsets,
        itemCodes: Int32Array.from(items),
        dictionary: d.dictionary,
      };
    }
    case 'list<integer>': {
      const offsets = new Int32Array(n + 1);
      const items: number[] = [];
      spec.values.forEach((v, i) => {
        if (Array.isArray(v)) for (const s of v) items.push(Number(s));
        offsets[i + 1] = items.length;
      });
      return {
        kind: 'integerList',
        type: 'list<integer>',
        name: spec.name,
        missing,
        offsets,
        itemValues: Float64Array.from(items),
      };
    }
  }
}

export function makeTable(specs: ColumnSpec[]): Table {
  const columns = specs.map(buildColumn);
  const rowCount = specs[0]?.values.length ?? 0;
  return {
    rowCount,
    columns,
    byName: new Map(columns.map((c) => [c.name, c])),
    rowLines: Int32Array.from({ length: rowCount }, (_, i) => i + 2),
  };
}

/** Builds a table from row objects and declared column types. */
export function tableFromRows(types: Record<string, ColumnType>, rows: Array<Record<string, Cell>>): Table {
  return makeTable(
    Object.entries(types).map(([name, type]) => ({ name, type, values: rows.map((r) => r[name] ?? null) })),
  );
}

function firstSegment(text: string): SegmentDecl {
  const file = parse(text);
  if (file.errors.length > 0) throw new Error(`parse errors in ${JSON.stringify(text)}: ${file.errors.map((e) => e.message).join('; ')}`);
  const decl = file.declarations.find((d): d is SegmentDecl => d.type === 'Segment');
  if (!decl) throw new Error('no segment');
  return decl;
}

/** Parses a `where` expression. */
export function expr(source: string): Expr {
  const where = prop(firstSegment(`segment s {\n  where ${source}\n}`), 'where')?.value;
  if (!where) throw new Error(`no where in ${source}`);
  return where;
}

/** Parses a record literal (as in `example member { ... }`). */
export function record(source: string): RecordLiteral {
  const ex = prop(firstSegment(`segment s {\n  where x\n  example member ${source}\n}`), 'example')?.value;
  if (!ex) throw new Error(`no record in ${source}`);
  return ex;
}

// ------------------------------------------------------------ evaluation helpers

export interface EvalSetup {
  table: Table;
  today: number;
  segments?: Map<string, Bitset>;
}

function resolver(table: Table, segments: Map<string, Bitset> | undefined) {
  return resolveByTable(table, segments ?? new Map());
}

/** Per-row truth from the compiled bitset evaluator. */
export function compiled(e: Expr, setup: EvalSetup): Truth[] {
  const ctx: CompileContext = {
    table: setup.table,
    today: setup.today,
    resolve: resolver(setup.table, setup.segments),
    segmentBits: (name) => setup.segments?.get(name),
    shared: newSharedCache(),
  };
  const tri = evaluatePredicate(e, ctx);
  return Array.from({ length: setup.table.rowCount }, (_, i) => (hasBit(tri.t, i) ? true : hasBit(tri.u, i) ? null : false));
}

/** Per-row truth from the reference interpreter, with aggregates computed row by row too. */
export function reference(e: Expr, setup: EvalSetup): Truth[] {
  const { table } = setup;
  const resolve = resolver(table, setup.segments);
  const envFor = (row: number): EvalEnv => {
    const rec = rowRecord(table, row);
    return {
      today: setup.today,
      resolve,
      field: (name) => rec.get(name) ?? null,
      segment: (name) => {
        const bits = setup.segments?.get(name);
        return bits ? hasBit(bits, row) : false;
      },
      aggregate: (call) => {
        const values: Value[] = [];
        for (let r = 0; r < table.rowCount; r++) values.push(evalValue(call.arg, envFor(r)));
        return aggregateValues(call.callee.name, values);
      },
    };
  };
  return Array.from({ length: table.rowCount }, (_, i) => evalPredicate(e, envFor(i)));
}

// ------------------------------------------------------------ workspace helpers

/** Parses one spec file and builds the workspace model, with field types taken from the given tables. */
export function modelOf(text: string, tables: Record<string, Table> = {}): WorkspaceModel {
  const path = '/ws/spec.segspec';
  const file: ParsedFile = { path, text, version: 1, ast: parse(text) };
  const dataFieldTypes = new Map<string, Map<string, FieldTypeInfo>>();
  for (const [name, table] of Object.entries(tables)) {
    dataFieldTypes.set(name, new Map(table.columns.map((c) => [c.name, { type: c.type, optional: true, inferred: true }])));
  }
  return buildModel('/ws', [file], { dataFieldTypes }).model;
}

export function dataOf(tables: Record<string, Table>): Map<string, { table: Table }> {
  return new Map(Object.entries(tables).map(([name, table]) => [name, { table }]));
}
