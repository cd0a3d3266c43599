/**
 * What a dataset's rows are called ("customers", "accounts"): the words lenses,
 * hovers, the status bar, the preview and the reports count in. The dataset's
 * `unit "customers"` property, else a plural word taken from its title or name
 * (`dataset accounts "Accounts"` → accounts; `"Bank customers"` → customers),
 * else "rows".
 */
import { prop } from '../syntax/ast.js';
import type { WorkspaceModel } from './model.js';

export interface UnitWords {
  /** `customers` */
  many: string;
  /** `customer` */
  one: string;
}

export const ROWS: UnitWords = { many: 'rows', one: 'row' };

/** A word that reads as a plural noun: letters only, ending in `s` but not `ss`, `us`, `is` (`users`; not `class`, `status`, `analysis`, `data`). */
function pluralWord(word: string | undefined): string | undefined {
  const w = word?.trim().toLowerCase();
  return w && (/^[a-z]+[^siu]s$/.test(w) || IRREGULAR.has(w)) ? w : undefined;
}

/** Plurals without an `s`, with their singular. */
const IRREGULAR = new Map([
  ['people', 'person'],
  ['children', 'child'],
  ['men', 'man'],
  ['women', 'woman'],
]);

/** `customers` → `customer`, `companies` → `company`; an already singular or unusual word stays. */
export function singularOf(many: string): string {
  const irregular = IRREGULAR.get(many);
  if (irregular) return irregular;
  if (/[^aeiou]ies$/.test(many)) return `${many.slice(0, -3)}y`;
  if (/(ches|shes|xes|sses)$/.test(many)) return many.slice(0, -2);
  if (/[^s]s$/.test(many)) return many.slice(0, -1);
  return many;
}

export function unitWordsOf(many: string): UnitWords {
  return { many, one: singularOf(many) };
}

/** The unit of a dataset (see the module comment); "rows" when there is no dataset. */
export function datasetUnit(model: WorkspaceModel, dataset: string | undefined): UnitWords {
  const symbol = dataset ? model.datasets.get(dataset) : undefined;
  if (!symbol) return ROWS;
  const declared = prop(symbol.decl, 'unit')?.value?.value.trim();
  if (declared) return unitWordsOf(declared);
  const title = symbol.decl.title?.value.trim().split(/\s+/) ?? [];
  const derived =
    (title.length === 1 ? pluralWord(title[0]) : undefined) ??
    pluralWord(symbol.name.replace(/_/g, ' ').split(' ').pop()) ??
    pluralWord(title[title.length - 1]);
  return derived ? unitWordsOf(derived) : ROWS;
}

/** `1 customer`, `1,204 customers` (the count already formatted). */
export function countIn(count: number, formatted: string, unit: UnitWords): string {
  return `${formatted} ${count === 1 ? unit.one : unit.many}`;
}
