/**
 * A value a SQL driver returned (number, bigint, numeric text, Date, …),
 * as the engine's run-time value for a field of the given type.
 */
import type { ColumnType } from '../core/data/table.js';
import { MS_PER_DAY } from '../core/engine/dates.js';
import { dateValue, instantValue, semverValue, type Value } from '../core/engine/values.js';

export function valueFromSql(raw: unknown, type: ColumnType | undefined): Value {
  if (raw === null || raw === undefined) return null;
  if (typeof raw === 'bigint') return Number(raw);
  if (raw instanceof Date) {
    const ms = raw.getTime();
    return type === 'date' && ms % MS_PER_DAY === 0 ? dateValue(ms / MS_PER_DAY) : instantValue(ms);
  }
  if (typeof raw === 'string') {
    if (type === 'semver') return semverValue(raw);
    if (type === 'date' || type === 'datetime') {
      const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(raw) || type === 'date' ? raw : `${raw}Z`);
      if (!Number.isNaN(ms)) return type === 'date' && ms % MS_PER_DAY === 0 ? dateValue(ms / MS_PER_DAY) : instantValue(ms);
    }
    // PostgreSQL returns NUMERIC and BIGINT aggregates as text.
    if (type === undefined || type === 'integer' || type === 'number') {
      const n = Number(raw);
      if (raw.trim() !== '' && Number.isFinite(n)) return n;
    }
    return raw;
  }
  if (typeof raw === 'number' || typeof raw === 'boolean') return raw;
  return String(raw);
}
