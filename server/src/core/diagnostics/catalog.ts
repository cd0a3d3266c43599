/** The one catalog of diagnostic codes: static, data, engine and Markdown checks. */
import type { CatalogEntry } from './types.js';
import { staticCodes } from '../semantics/codes.js';
import { markdownCodes } from '../semantics/markdown-checks.js';
import { dataCodes } from '../data/codes.js';
import { engineCodes } from '../engine/codes.js';
import { flagCodes } from '../flags/codes.js';

export const catalogEntries: CatalogEntry[] = [...staticCodes, ...dataCodes, ...engineCodes, ...markdownCodes, ...flagCodes];

export const catalog: Map<string, CatalogEntry> = new Map(catalogEntries.map((entry) => [entry.code, entry]));

/** Adds entries from outside the core (none today; kept for extensions). */
export function registerCodes(entries: CatalogEntry[]): void {
  for (const entry of entries) catalog.set(entry.code, entry);
}
