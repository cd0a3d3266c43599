/** Display helpers shared by the chips and the preview. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** `share` is a fraction in [0, 1]. */
export function formatShare(share: number): string {
  return `${(share * 100).toFixed(1)}%`;
}
