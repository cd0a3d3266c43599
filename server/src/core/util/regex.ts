/**
 * `matches` patterns (SPEC §5.1): RE2 syntax, matched in time linear in the
 * value by `re2js`, so no pattern can stall the editor or CI. Everything that
 * evaluates a pattern (the bitset engine, the reference interpreter, examples,
 * persona profiles, explanations) goes through `compilePattern`, and the
 * static check reports its `problem`.
 */
import { RE2JS } from 're2js';

export type CompiledPattern = { ok: true; test(value: string): boolean } | { ok: false; problem: string };

const cache = new Map<string, CompiledPattern>();
const CACHE_LIMIT = 1000;

export function compilePattern(pattern: string): CompiledPattern {
  let compiled = cache.get(pattern);
  if (!compiled) {
    compiled = compile(pattern);
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(pattern, compiled);
  }
  return compiled;
}

const WHY = '`matches` uses RE2 syntax, which always matches in time linear in the value';

function compile(pattern: string): CompiledPattern {
  try {
    const re = RE2JS.compile(pattern);
    return { ok: true, test: (value) => re.test(value) };
  } catch (error) {
    const unsupported = unsupportedConstruct(pattern);
    if (unsupported) return { ok: false, problem: `${unsupported} not supported: ${WHY}` };
    const reason = error instanceof Error ? error.message.replace(/^error parsing regexp: /, '') : String(error);
    return { ok: false, problem: `invalid regular expression: ${reason}` };
  }
}

/** Names the backtracking-only construct a pattern uses (RE2's own message is terse about these). */
function unsupportedConstruct(pattern: string): string | undefined {
  let inClass = false;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const next = pattern[i + 1] ?? '';
      if (/[1-9]/.test(next)) return `backreferences such as \`\\${next}\` are`;
      if (next === 'k' && pattern[i + 2] === '<') return 'named backreferences (`\\k<…>`) are';
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      if (pattern[i + 1] === '^') i++;
      if (pattern[i + 1] === ']') i++;
      continue;
    }
    if (c === '(' && pattern[i + 1] === '?') {
      const head = pattern.slice(i, i + 4);
      if (head.startsWith('(?=')) return 'look-ahead (`(?=…)`) is';
      if (head.startsWith('(?!')) return 'negative look-ahead (`(?!…)`) is';
      if (head === '(?<=') return 'look-behind (`(?<=…)`) is';
      if (head === '(?<!') return 'negative look-behind (`(?<!…)`) is';
    }
  }
  return undefined;
}
