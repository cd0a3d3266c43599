/**
 * Semantic version ordering: `3.9.0 < 3.10.0`, pre-releases before their
 * release (`1.0.0-rc.1 < 1.0.0`), build metadata ignored. A leading `v` and
 * missing minor/patch parts (`3.10` = `3.10.0`) are accepted.
 */
export interface ParsedSemver {
  core: [number, number, number];
  pre: Array<number | string>;
}

const SEMVER = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/;

const parsedCache = new Map<string, ParsedSemver | null>();

export function parseSemver(text: string): ParsedSemver | undefined {
  const cached = parsedCache.get(text);
  if (cached !== undefined) return cached ?? undefined;
  const m = SEMVER.exec(text.trim());
  const parsed: ParsedSemver | null = m
    ? {
        core: [Number(m[1]), Number(m[2] ?? 0), Number(m[3] ?? 0)],
        pre: m[4] ? m[4].split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p)) : [],
      }
    : null;
  if (parsedCache.size > 100_000) parsedCache.clear();
  parsedCache.set(text, parsed);
  return parsed ?? undefined;
}

/** Negative, zero or positive; undefined when either side is not a version. */
export function compareSemver(a: string, b: string): number | undefined {
  const pa = parseSemver(a);
  const pb = parseSemver(b);
  if (!pa || !pb) return undefined;
  for (let i = 0; i < 3; i++) {
    if (pa.core[i] !== pb.core[i]) return pa.core[i] - pb.core[i];
  }
  if (pa.pre.length === 0 || pb.pre.length === 0) return pb.pre.length - pa.pre.length;
  const n = Math.min(pa.pre.length, pb.pre.length);
  for (let i = 0; i < n; i++) {
    const x = pa.pre[i];
    const y = pb.pre[i];
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    if (typeof x === 'number') return -1;
    if (typeof y === 'number') return 1;
    return x < y ? -1 : 1;
  }
  return pa.pre.length - pb.pre.length;
}
