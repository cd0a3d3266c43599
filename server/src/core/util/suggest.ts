/** Edit distance (Levenshtein, with a swap of neighbours counted as one edit), case-insensitive. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const current = [i];
    for (let j = 1; j <= t.length; j++) {
      const substitution = previous[j - 1] + (s[i - 1] === t[j - 1] ? 0 : 1);
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, substitution);
      if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) {
        current[j] = Math.min(current[j], beforePrevious[j - 2] + 1);
      }
    }
    beforePrevious = previous;
    previous = current;
  }
  return previous[t.length];
}

/**
 * The candidates closest to `word`, best first: those within a distance that
 * grows with the word's length (a typo, not a different word).
 */
export function suggest(word: string, candidates: Iterable<string>, max = 3): string[] {
  const limit = Math.max(1, Math.round(word.length / 3));
  const scored: Array<{ candidate: string; distance: number }> = [];
  for (const candidate of new Set(candidates)) {
    if (candidate === word) continue;
    const lower = word.toLowerCase();
    // `rosa` for `rosa_x` or `retired_rosa`: the start, or one part of a snake_case name.
    const partMatch =
      word.length >= 3 && (candidate.toLowerCase().startsWith(lower) || candidate.toLowerCase().split('_').includes(lower));
    // The distance is at least the difference in length: skip the quadratic count when that alone is too far
    // (a name of a million characters took seconds per candidate).
    if (!partMatch && Math.abs(word.length - candidate.length) > limit) continue;
    const distance = editDistance(word, candidate);
    if (distance <= limit || partMatch) scored.push({ candidate, distance });
  }
  scored.sort((x, y) => x.distance - y.distance || x.candidate.localeCompare(y.candidate));
  return scored.slice(0, max).map((s) => s.candidate);
}

/** ` — did you mean `a`?` or `` when there is no suggestion. */
export function didYouMean(suggestions: string[]): string {
  if (suggestions.length === 0) return '';
  const quoted = suggestions.map((s) => `\`${s}\``);
  return ` — did you mean ${quoted.length === 1 ? quoted[0] : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`}?`;
}

/**
 * A did-you-mean followed by more help: `— did you mean `a`? The kinds are …`
 * with a suggestion, `; the kinds are …` without one.
 */
export function didYouMeanThen(suggestions: string[], more: string): string {
  if (suggestions.length === 0) return `; ${more}`;
  return `${didYouMean(suggestions)} ${more.charAt(0).toUpperCase()}${more.slice(1)}`;
}
