/**
 * A compiler context with related datasets (SPEC §11) for unit tests: the
 * users of fixtures.ts, with `events` (many per user, linked by `user_id`)
 * and `survey` (one per user: its key is the link).
 */
import type { ColumnType } from '../../../server/src/core/data/table.js';
import type { SqlContext } from '../../../server/src/core/sql/index.js';
import type { RelatedTable } from '../../../server/src/core/sql/related.js';
import { type ContextOptions, contextFor } from './fixtures.js';

export interface RelatedSpec {
  /** Table name as written. */
  table: string;
  link: string;
  oneToOne: boolean;
  fields: Record<string, ColumnType>;
}

export const EVENT_FIELDS: Record<string, ColumnType> = {
  user_id: 'integer',
  at: 'datetime',
  day: 'date',
  kind: 'string',
  amount: 'integer',
  price: 'number',
  ok: 'boolean',
};

export const PROFILE_FIELDS: Record<string, ColumnType> = {
  user_id: 'integer',
  nps: 'integer',
  attitude: 'string',
  pains: 'list<string>',
  answered: 'date',
};

export function relatedSpecs(prefix = ''): Record<string, RelatedSpec> {
  return {
    events: { table: `${prefix}events`, link: 'user_id', oneToOne: false, fields: EVENT_FIELDS },
    survey: { table: `${prefix}survey`, link: 'user_id', oneToOne: true, fields: PROFILE_FIELDS },
  };
}

/** `contextFor(options)` whose dataset (key `parentKey`) has the given related datasets. */
export function relatedContextFor(options: ContextOptions, related: Record<string, RelatedSpec>, parentKey = 'id'): SqlContext {
  return {
    ...contextFor(options),
    related(dataset) {
      const spec = related[dataset];
      if (!spec) return undefined;
      const rows = contextFor({ dialect: options.dialect, fields: spec.fields, table: spec.table });
      const table: RelatedTable = { dataset, link: spec.link, parentKey, oneToOne: spec.oneToOne, rows };
      return table;
    },
  };
}

/** Every form of SPEC §11 in one list (golden files, sqlglot). */
export const RELATED_GOLDEN_EXPRESSIONS: string[] = [
  'count(events) >= 3',
  'count(events where kind == "buy" and at within last 30 days) > 0',
  'count(distinct events.kind where ok) >= 2',
  'sum(events.amount where kind == "buy") / 100 >= 5',
  'mean(events.price) > 2.5 and median(events.amount) < 10',
  'p90(events.amount where not ok) > 4',
  'max(events.at) within last 7 days and min(events.day) before 2026-01-01',
  'exists(events where price > p90(price)) or not exists(events)',
  'survey.nps <= 6 and survey.pains contains "ads"',
  'survey.answered within last 30 days or survey.attitude is missing',
  'age < 30 and count(events where kind == "buy") > count(events where kind == "view") / 2',
];
