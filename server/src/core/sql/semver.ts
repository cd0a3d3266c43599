/**
 * Semantic-version ordering in SQL, by a sortable text key computed in the
 * query: leading `v`s dropped, build metadata (`+…`) dropped, major, minor and
 * patch zero-padded to 10 digits (a missing part is 0), then `~` for a
 * release or `!` followed by the pre-release text for a pre-release, so that
 * `1.0.0-rc.1 < 1.0.0`. Keys compare byte-wise.
 *
 * Known difference from full semver precedence: pre-release identifiers are
 * compared as text, so `1.0.0-rc.10 < 1.0.0-rc.2` in SQL (the embedded engine
 * compares numeric identifiers as numbers). Versions whose pre-releases use
 * single-digit numbers, or none, order exactly.
 */
import type { DialectRules } from './dialect.js';

const PAD = 10;

/** The same key, computed here, for a literal version. */
export function semverKeyOf(text: string): string {
  const v = text.trim().replace(/^v+/, '');
  const base = v.split('+')[0];
  const dash = base.indexOf('-');
  const core = dash >= 0 ? base.slice(0, dash) : base;
  const parts = `${core}..`.split('.');
  const padded = [0, 1, 2].map((i) => parts[i].padStart(PAD, '0').slice(0, PAD)).join('');
  return padded + (dash >= 0 ? `!${base.slice(dash + 1)}` : '~');
}

/** What the engine accepts as a version; other text compares as unknown (NULL), as in the engine. */
const SEMVER_PATTERN = '^v?[0-9]+([.][0-9]+)?([.][0-9]+)?(-[0-9A-Za-z.-]+)?([+][0-9A-Za-z.-]+)?$';

export function isSemverText(text: string): boolean {
  return new RegExp(SEMVER_PATTERN).test(text.trim());
}

/** SQL for the key of a text expression: NULL for NULL and for text that is not a version. */
export function semverKeySql(rules: DialectRules, text: string): string {
  const trimmed = `trim(${text})`;
  const valid = rules.regexSearch(trimmed, rules.string(SEMVER_PATTERN));
  const unprefixed = trimLeadingV(rules, trimmed);
  const base = rules.splitPart(unprefixed, '+', 1);
  const dashAt = rules.position(base, rules.string('-'));
  const core = rules.splitPart(base, '-', 1);
  const corePadded = `${core} || '..'`;
  const parts = [1, 2, 3].map((i) => `lpad(${rules.splitPart(corePadded, '.', i)}, ${PAD}, '0')`);
  const suffix = `CASE WHEN ${dashAt} > 0 THEN '!' || ${substr(rules, base, `${dashAt} + 1`)} ELSE '~' END`;
  return `CASE WHEN ${valid} THEN ${parts.join(' || ')} || ${suffix} END`;
}

function trimLeadingV(rules: DialectRules, text: string): string {
  switch (rules.name) {
    case 'spark':
    case 'trino':
      return `trim(LEADING 'v' FROM ${text})`;
    default:
      return `ltrim(${text}, 'v')`;
  }
}

function substr(rules: DialectRules, text: string, start: string): string {
  return `${rules.name === 'bigquery' ? 'SUBSTR' : 'substr'}(${text}, ${start})`;
}
