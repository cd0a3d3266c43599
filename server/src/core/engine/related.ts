/**
 * Related datasets in the embedded engine (SPEC §11): each link indexed once
 * per pair of loaded tables, each distinct aggregate or lookup computed once
 * as a column of the parent table and kept across runs (keyed by its
 * canonical text, the related table, the reference date and the members of
 * the related segments its filter names), so an edit that changes one
 * aggregate recomputes that one only. The columns are added to a view of the
 * parent table, where the compiled predicates read them like any field.
 */
import { buildLinkIndex, type LinkIndex } from '../data/link-index.js';
import { linkDataCode, linkDataCodes } from '../data/related-codes.js';
import type { Column, Table } from '../data/table.js';
import type { Finding, Severity } from '../diagnostics/types.js';
import type { AggregateExpr, Expr, NameExpr, RelatedFieldExpr } from '../syntax/ast.js';
import { prop } from '../syntax/ast.js';
import { walkScoped } from '../syntax/walk.js';
import type { NameResolution, WorkspaceModel } from '../semantics/model.js';
import type { Bitset } from './bitset.js';
import { compilePredicate, newSharedCache, type SharedCache } from './compile.js';
import { aggregateColumn, lookupColumn } from './related-columns.js';
import { relatedColumnName } from './related-key.js';
import { formatCount } from './format.js';

/** Facts about one related dataset for `stats`, hovers and lenses. */
export interface RelatedDatasetStat {
  name: string;
  parent: string;
  /** Rows of the related dataset. */
  rows: number;
  /** Rows of the parent, and those with at least one related row. */
  parentRows: number;
  parentsWithRows: number;
  /** parentsWithRows / parentRows (0 without parents). */
  share: number;
  oneToOne: boolean;
  /** Related rows that belong to no parent (link missing or naming none). */
  orphans: number;
}

interface IndexEntry {
  parent: Table;
  key: string;
  by: string;
  result: { index: LinkIndex } | { problem: string };
}

/** What the engine keeps between runs. */
export class RelatedCache {
  private readonly tableIds = new WeakMap<object, number>();
  private nextTableId = 1;
  private readonly indexes = new WeakMap<Table, IndexEntry[]>();
  private readonly columns = new WeakMap<Table, Map<string, Column>>();
  private readonly filterCaches = new WeakMap<Table, Map<number, SharedCache>>();
  /** Column keys computed (not reused) in the latest run. */
  computed: string[] = [];
  private used = new Map<Map<string, Column>, Set<string>>();

  /** A stable number for a table or a members bitset, for cache keys. */
  identity(object: object): number {
    let id = this.tableIds.get(object);
    if (id === undefined) {
      id = this.nextTableId++;
      this.tableIds.set(object, id);
    }
    return id;
  }

  index(parent: Table, key: string, related: Table, by: string): IndexEntry['result'] {
    let entries = this.indexes.get(related);
    if (!entries) this.indexes.set(related, (entries = []));
    let entry = entries.find((e) => e.parent === parent && e.key === key && e.by === by);
    if (!entry) {
      entry = { parent, key, by, result: buildLinkIndex(parent, key, related, by) };
      // Only the latest parent of a related table is worth keeping.
      entries.splice(0, entries.length, entry);
    }
    return entry.result;
  }

  column(parent: Table, key: string, compute: () => Column | string): Column | string {
    let byKey = this.columns.get(parent);
    if (!byKey) this.columns.set(parent, (byKey = new Map()));
    let used = this.used.get(byKey);
    if (!used) this.used.set(byKey, (used = new Set()));
    used.add(key);
    const cached = byKey.get(key);
    if (cached) return cached;
    const column = compute();
    this.computed.push(key);
    if (typeof column !== 'string') byKey.set(key, column);
    return column;
  }

  filterCache(related: Table, today: number): SharedCache {
    let byDay = this.filterCaches.get(related);
    if (!byDay) this.filterCaches.set(related, (byDay = new Map()));
    let cache = byDay.get(today);
    if (!cache || cache.leaves.size > 2_000) byDay.set(today, (cache = newSharedCache()));
    return cache;
  }

  /** Starts a run: forgets which columns the previous one used. */
  startRun(): void {
    this.computed = [];
    this.used = new Map();
  }

  /** Ends a run: drops the columns no segment used (an edited aggregate's old column). */
  endRun(): void {
    for (const [byKey, used] of this.used) for (const key of byKey.keys()) if (!used.has(key)) byKey.delete(key);
  }
}

/** A parent table with room for related columns; the base table is left untouched. */
export function tableView(table: Table): Table {
  return { ...table, byName: new Map(table.byName) };
}

export interface RelatedContext {
  model: WorkspaceModel;
  cache: RelatedCache;
  tableOf(dataset: string): Table | undefined;
  /** Members of a segment, undefined when it has none (not evaluated, unavailable). */
  membersOf(segment: string): Bitset | undefined;
  resolve(table: Table | undefined): (name: NameExpr) => NameResolution;
}

type RelatedExpr = AggregateExpr | RelatedFieldExpr;

/** Lookups and aggregates of an expression (not inside another aggregate's filter). */
function relatedExprs(exprs: readonly Expr[]): RelatedExpr[] {
  return exprs.flatMap(relatedExprsOf);
}

/** By expression: a declaration an edit did not touch keeps its tree, so every analysis after the first reads this. */
const relatedExprsMemo = new WeakMap<Expr, RelatedExpr[]>();

function relatedExprsOf(expr: Expr): RelatedExpr[] {
  let out = relatedExprsMemo.get(expr);
  if (!out) {
    const found: RelatedExpr[] = [];
    walkScoped(expr, (node, enclosing) => {
      if (!enclosing && (node.type === 'Aggregate' || node.type === 'RelatedField')) found.push(node);
    });
    relatedExprsMemo.set(expr, (out = found));
  }
  return out;
}

/**
 * Adds to `view` (a view of `parentName`'s table) a column for each lookup and
 * aggregate in `exprs`, computed with `today` (the reference date of the
 * segment's dataset). Returns the cache keys of the columns (what a result
 * over them depends on), or why one cannot be computed.
 */
export function addRelatedColumns(
  rc: RelatedContext,
  parentName: string,
  view: Table,
  today: number,
  exprs: readonly Expr[],
): { problem: string } | { keys: string[] } {
  const keys: string[] = [];
  const failed = addColumns(rc, parentName, view, today, exprs, keys);
  return failed === undefined ? { keys } : { problem: failed };
}

function addColumns(
  rc: RelatedContext,
  parentName: string,
  view: Table,
  today: number,
  exprs: readonly Expr[],
  keys: string[],
): string | undefined {
  const parentTable = rc.tableOf(parentName);
  if (!parentTable) return `no data loaded for ${parentName}`;
  const resolveParent = rc.resolve(view);
  for (const expr of relatedExprs(exprs)) {
    const name = relatedColumnName(expr, resolveParent);
    const relatedName = expr.dataset.name;
    const index = linkIndexOf(rc, relatedName, parentName);
    if (typeof index === 'string') return index;
    if (expr.type === 'RelatedField' && index.repeatedParents.count > 0) {
      return ambiguousLookup(relatedName, expr.field.name, parentName, index.repeatedParents.count);
    }
    const relatedTable = rc.tableOf(relatedName)!;
    let matching: Bitset | undefined;
    const segments: string[] = [];
    if (expr.type === 'Aggregate' && expr.filter) {
      const resolve = rc.resolve(relatedTable);
      for (const segment of filterSegments(expr.filter, resolve)) {
        const members = rc.membersOf(segment);
        if (!members) return `\`${segment}\` (used in \`${expr.callee.name}(${relatedName} where …)\`) has no members to read`;
        segments.push(`${segment}#${rc.cache.identity(members)}`);
      }
    }
    const key = `${name}|${rc.cache.identity(relatedTable)}|${today}|${segments.join(',')}`;
    keys.push(key);
    const column = rc.cache.column(parentTable, key, () => {
      if (expr.type === 'RelatedField') {
        const field = relatedTable.byName.get(expr.field.name);
        return field ? lookupColumn(field, name, index) : `\`${relatedName}\` has no column \`${expr.field.name}\``;
      }
      if (expr.filter) {
        const resolve = rc.resolve(relatedTable);
        const ctx = {
          table: relatedTable,
          today,
          resolve,
          segmentBits: (segment: string) => rc.membersOf(segment),
          shared: rc.cache.filterCache(relatedTable, today),
        };
        matching = compilePredicate(expr.filter, ctx)().t;
      }
      return aggregateColumn(expr, name, { table: relatedTable, index, matching });
    });
    if (typeof column === 'string') return column;
    view.byName.set(name, column);
  }
  return undefined;
}

function filterSegments(filter: Expr, resolve: (name: NameExpr) => NameResolution): string[] {
  const out = new Set<string>();
  walkScoped(filter, (node) => {
    if (node.type !== 'Name') return;
    const r = resolve(node);
    if (r.kind === 'segment') out.add(r.name);
  });
  return [...out].sort();
}

/** The index of `related`'s link to `parent`, or why there is none. */
function linkIndexOf(rc: RelatedContext, related: string, parent: string): LinkIndex | string {
  const sym = rc.model.datasets.get(related);
  const link = sym?.link;
  if (!sym || !link || link.parent !== parent) return `\`${related}\` does not belong to \`${parent}\``;
  const parentSym = rc.model.datasets.get(parent);
  const key = parentSym ? prop(parentSym.decl, 'key')?.value?.name : undefined;
  if (!key) return `\`${parent}\` has no key`;
  const parentTable = rc.tableOf(parent);
  const relatedTable = rc.tableOf(related);
  if (!parentTable) return `no data loaded for ${parent}`;
  if (!relatedTable) return `no data loaded for ${related}`;
  const result = rc.cache.index(parentTable, key, relatedTable, link.by);
  return 'problem' in result ? `\`${related}\` cannot be linked to \`${parent}\`: ${result.problem}` : result.index;
}

const severities = new Map<string, Severity>(linkDataCodes.map((c) => [c.code, c.severity]));

/**
 * Why `related.field` has no value to stand behind: some parents have more than
 * one related row (SEG132), and which one a lookup reads would be arbitrary.
 * The same words on every engine.
 */
export function ambiguousLookup(related: string, field: string, parent: string, parents: number): string {
  return `\`${related}.${field}\` cannot be read: ${plural(parents, `${parent} row`)} ${parents === 1 ? 'has' : 'have'} more than one \`${related}\` row`;
}

/** Why a segment that uses `dependency` (unavailable for `reason`) is unavailable too. */
export function unavailableDependency(dependency: string, reason: string | undefined): string {
  return `depends on \`${dependency}\`, which is unavailable${reason ? `: ${reason}` : ''}`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

/** The data checks of every link whose two tables are loaded (SEG130–SEG133), and the facts `stats` shows. */
export function linkChecks(rc: RelatedContext): { findings: Finding[]; stats: Map<string, RelatedDatasetStat> } {
  const findings: Finding[] = [];
  const stats = new Map<string, RelatedDatasetStat>();
  for (const sym of rc.model.datasets.values()) {
    const link = sym.link;
    if (!link) continue;
    const parentTable = rc.tableOf(link.parent);
    const relatedTable = rc.tableOf(sym.name);
    if (!parentTable || !relatedTable) continue;
    const belongs = prop(sym.decl, 'belongsTo');
    const range = belongs?.by?.range ?? belongs?.range ?? sym.nameRange;
    const finding = (code: string, message: string, data: Record<string, unknown>): Finding => ({
      code,
      severity: severities.get(code) ?? 'error',
      message,
      file: sym.file,
      range,
      data,
    });
    const index = linkIndexOf(rc, sym.name, link.parent);
    if (typeof index === 'string') {
      if (!index.startsWith(`\`${link.parent}\` has no key`)) findings.push(finding(linkDataCode.linkNotIndexed, index, { dataset: sym.name }));
      continue;
    }
    const lineOf = (row: number): number => relatedTable.rowLines[row];
    const { missingLinks, unknownLinks, repeatedParents } = index;
    if (missingLinks.count > 0) {
      findings.push(
        finding(
          linkDataCode.missingLink,
          `${plural(missingLinks.count, `row of ${sym.name} has`, `rows of ${sym.name} have`)} no \`${link.by}\`, so they belong to no ${link.parent} row (first on line ${lineOf(missingLinks.firstRow)})`,
          { dataset: sym.name, count: missingLinks.count, firstLine: lineOf(missingLinks.firstRow) },
        ),
      );
    }
    if (unknownLinks.count > 0) {
      findings.push(
        finding(
          linkDataCode.unknownParent,
          `${plural(unknownLinks.count, `row of ${sym.name} names`, `rows of ${sym.name} name`)} no ${link.parent} row by \`${link.by}\` (first on line ${lineOf(unknownLinks.firstRow)}: ${JSON.stringify(unknownLinks.firstValue)})`,
          { dataset: sym.name, count: unknownLinks.count, firstLine: lineOf(unknownLinks.firstRow), value: unknownLinks.firstValue },
        ),
      );
    }
    if (link.oneToOne && repeatedParents.count > 0 && repeatedParents.firstRows) {
      const [a, b] = repeatedParents.firstRows;
      findings.push(
        finding(
          linkDataCode.repeatedLink,
          `\`${link.by}\` is the key of ${sym.name}, so each ${link.parent} row has at most one, but ${plural(repeatedParents.count, `${link.parent} row is`, `${link.parent} rows are`)} named more than once (first ${JSON.stringify(repeatedParents.firstValue)} on lines ${lineOf(a)} and ${lineOf(b)})`,
          { dataset: sym.name, count: repeatedParents.count, value: repeatedParents.firstValue, lines: [lineOf(a), lineOf(b)] },
        ),
      );
    }
    stats.set(sym.name, {
      name: sym.name,
      parent: link.parent,
      rows: relatedTable.rowCount,
      parentRows: parentTable.rowCount,
      parentsWithRows: index.parentsWithRows,
      share: parentTable.rowCount === 0 ? 0 : index.parentsWithRows / parentTable.rowCount,
      oneToOne: link.oneToOne,
      orphans: missingLinks.count + unknownLinks.count,
    });
  }
  return { findings, stats };
}
