/**
 * Discovered rules as ready `segment` declarations (SPEC §13): a name from
 * the clauses, the guessed kind, a description with size, target rate and
 * lift, and `expect` lines that hold today with some slack, so that CI
 * notices when the data drifts away from them.
 */
import { format } from '../format/formatter.js';
import { numberText, stringLiteral, type Clause } from './clauses.js';
import type { DiscoveredRule, DiscoverResult } from './index.js';
import { guessKind } from './kind.js';

export interface RenderOptions {
  dataset: string;
  /** The target as the user wrote it (a segment name or an expression); absent without a target. */
  target?: string;
  /** Names already taken in the workspace (segments, personas, datasets, fields). */
  taken: ReadonlySet<string>;
}

export interface RenderedRule {
  name: string;
  /** The formatted declaration. */
  text: string;
}

/** One declaration per rule, with names unique among themselves and the workspace. */
export function renderRules(result: DiscoverResult, options: RenderOptions): RenderedRule[] {
  const taken = new Set(options.taken);
  return result.rules.map((rule) => {
    const name = uniqueName(ruleName(rule.clauses), taken);
    taken.add(name);
    return { name, text: declaration(name, rule, result, options) };
  });
}

export function percentText(share: number): string {
  const p = share * 100;
  return `${numberText(Number(p.toFixed(p >= 10 ? 1 : p >= 1 ? 1 : 2)))}%`;
}

function declaration(name: string, rule: DiscoveredRule, result: DiscoverResult, options: RenderOptions): string {
  const kind = guessKind(rule.clauses.map((c) => c.label ?? c.field));
  const lines = [`segment ${name} {`, `  kind ${kind}`, `  description ${stringLiteral(describe(rule, result, options))}`, `  from ${options.dataset}`, `  where ${rule.where}`];
  lines.push(`  expect size ${sizeExpectation(rule.size, result.rows)}`);
  if (options.target !== undefined && rule.size > 0) {
    const floor = Math.floor(rule.targetRate * 100 * 0.9 * 10) / 10;
    lines.push(`  expect share(${options.target}) >= ${numberText(floor)}%`);
  }
  lines.push('}');
  const text = `${lines.join('\n')}\n`;
  return format(text) ?? text;
}

function describe(rule: DiscoveredRule, result: DiscoverResult, options: RenderOptions): string {
  const size = `${rule.size.toLocaleString('en-US')} of ${result.rows.toLocaleString('en-US')} rows (${percentText(rule.share)})`;
  if (options.target === undefined) return `Discovered: ${size}.`;
  const target = options.target.replace(/"/g, "'").replace(/\s+/g, ' ');
  return `Discovered: ${size}; ${target} holds for ${percentText(rule.targetRate)} of them vs ${percentText(result.baseRate)} overall (lift ${rule.lift.toFixed(2)}).`;
}

/** Between 80% and 120% of today's size, at 0.1% resolution (or in rows below 0.1%). */
export function sizeExpectation(size: number, rows: number): string {
  const share = rows === 0 ? 0 : size / rows;
  if (share * 100 < 1) return `between ${Math.floor(size * 0.8)} and ${Math.ceil(size * 1.2)}`;
  const low = Math.floor(share * 100 * 0.8 * 10) / 10;
  const high = Math.min(100, Math.ceil(share * 100 * 1.2 * 10) / 10);
  return `between ${numberText(low)}% and ${numberText(high)}%`;
}

function clauseSlug(c: Clause): string {
  const bound = c.bound !== undefined ? numberText(c.bound).replace('-', 'minus_').replace('.', '_') : '';
  const rest = c.text.startsWith(`${c.field} `) ? c.text.slice(c.field.length + 1) : '';
  const field = c.label ?? c.field;
  if (c.slot === 'lower') return `${field}_${bound}_plus`;
  if (c.slot === 'upper') return `${field}_under_${bound}`;
  if (c.text === c.field) return field;
  if (c.text === `not ${c.field}`) return `not_${field}`;
  if (rest === 'is missing') return `${field}_missing`;
  if (rest === 'is not missing') return `with_${field}`;
  if (rest === '== 0') return `${field}_zero`;
  if (rest === '> 0') return `${field}_positive`;
  const within = /^within last (\d+) days$/.exec(rest);
  if (within) return `${field}_last_${within[1]}d`;
  const set = /^in \[(.*)\]$/.exec(rest);
  if (set) return `${field}_${[...set[1].matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]).join('_or_')}`;
  const value = /^(?:==|contains) "(.*)"$/.exec(rest);
  if (value) return `${field}_${value[1]}`;
  return field;
}

export function ruleName(clauses: readonly Clause[]): string {
  const parts: string[] = [];
  let length = 0;
  for (const c of clauses) {
    const slug = clauseSlug(c)
      .toLowerCase()
      .replace(/[^a-z0-9_]+/g, '_')
      .replace(/_+/g, '_')
      .replace(/^_|_$/g, '');
    if (!slug) continue;
    if (parts.length > 0 && length + slug.length > 40) break;
    parts.push(slug);
    length += slug.length + 1;
  }
  const name = parts.join('_').slice(0, 60) || 'discovered';
  return /^[a-z_]/.test(name) ? name : `s_${name}`;
}

export function uniqueName(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base) && !RESERVED.has(base)) return base;
  for (let i = 2; ; i++) if (!taken.has(`${base}_${i}`)) return `${base}_${i}`;
}

const RESERVED = new Set(['and', 'or', 'not', 'in', 'between', 'contains', 'is', 'missing', 'within', 'last', 'true', 'false', 'today', 'now']);
