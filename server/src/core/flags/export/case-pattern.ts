/**
 * `lower(x)` / `upper(x)` for systems that have regular expressions but no
 * case functions: a pattern whose every position accepts exactly the
 * characters that `toLowerCase` (`toUpperCase`) turns into the literal's
 * character — `k` is `[kKK]` (the Kelvin sign lowers to `k`), not the
 * `i` flag's idea of case, which differs on such letters.
 */
import type { Subject } from './condition.js';
import { ExportRefusal } from './problems.js';
import { escapeRegex, neverPattern, type RegexFlavor } from './regex.js';
import { unreachable } from '../../util/unreachable.js';

type Direction = 'lower' | 'upper';

const preimages: Partial<Record<Direction, Map<string, string[]>>> = {};
const longImages: Partial<Record<Direction, string[]>> = {};

/** Every code point, by what it maps to (only those that map to one code point); built once per direction. */
function preimageMap(direction: Direction): Map<string, string[]> {
  const cached = preimages[direction];
  if (cached) return cached;
  const map = new Map<string, string[]>();
  const long = new Set<string>();
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue;
    const ch = String.fromCodePoint(cp);
    const image = direction === 'lower' ? ch.toLowerCase() : ch.toUpperCase();
    if (image === ch) continue;
    if ([...image].length !== 1) {
      long.add(image);
      continue;
    }
    const list = map.get(image);
    if (list) list.push(ch);
    else map.set(image, [ch]);
  }
  preimages[direction] = map;
  longImages[direction] = [...long];
  return map;
}

/**
 * The pattern (no anchors) matching exactly the texts t with
 * `t.toLowerCase() === literal` (or upper); undefined when the literal holds
 * a sequence that a single character can also map to (`SS` from `ß`), which
 * a per-character pattern cannot express.
 */
export function casePattern(literal: string, direction: Direction, flavor: RegexFlavor = 'js'): string | undefined {
  const map = preimageMap(direction);
  if ((longImages[direction] ?? []).some((image) => literal.includes(image))) return undefined;
  let out = '';
  for (const ch of literal) {
    const image = direction === 'lower' ? ch.toLowerCase() : ch.toUpperCase();
    // A character the function changes never appears in its result.
    if (image !== ch) return neverPattern(flavor);
    const sources = [ch, ...(map.get(ch) ?? [])];
    out += sources.length === 1 ? escapeRegex(ch) : `(?:${sources.map(escapeRegex).join('|')})`;
  }
  return out;
}

/** A regular expression for `subject <place> literal`, exact under `lower`/`upper`; refused when no pattern can be exact. */
export function textPattern(subject: Subject, literal: string, place: 'equals' | 'starts' | 'ends' | 'contains', system: string, flavor: RegexFlavor = 'js'): string {
  let body: string | undefined;
  if (subject.transform === 'lower' || subject.transform === 'upper') {
    body = casePattern(literal, subject.transform, flavor);
    if (body === undefined) {
      throw new ExportRefusal(`${system}: ${subject.transform}() of a text compared with '${literal}' has no exact regular expression (a letter maps to several)`, subject);
    }
  } else {
    body = escapeRegex(literal);
  }
  switch (place) {
    case 'equals':
      return `^${body}$`;
    case 'starts':
      return `^${body}`;
    case 'ends':
      return `${body}$`;
    case 'contains':
      return body;
    default:
      return unreachable(place);
  }
}
