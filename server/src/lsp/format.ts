/** Numbers as people read them in hovers, lenses and hints. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** `share` is a fraction in [0, 1]. */
export function formatShare(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}
