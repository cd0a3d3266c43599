/** The one catalog of diagnostic codes: static, data and engine checks. */
import type { CatalogEntry } from './types.js';
import { staticCodes } from '../semantics/codes.js';

const parts: CatalogEntry[][] = [staticCodes];

export const catalog: Map<string, CatalogEntry> = new Map(parts.flat().map((entry) => [entry.code, entry]));

/** Adds the entries of another part of the core (data, engine, markdown). */
export function registerCodes(entries: CatalogEntry[]): void {
  for (const entry of entries) catalog.set(entry.code, entry);
}
