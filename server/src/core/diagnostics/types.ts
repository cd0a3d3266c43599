import type { Range } from '../syntax/ast.js';

export type Severity = 'error' | 'warning' | 'info';

export interface RelatedLocation {
  file: string;
  range: Range;
  message: string;
}

/** A finding of any check, static or on the data. */
export interface Finding {
  /** Stable code from the catalog, e.g. `SEG012`. */
  code: string;
  severity: Severity;
  message: string;
  /** Absolute path of the file the range is in. */
  file: string;
  range: Range;
  related?: RelatedLocation[];
  /**
   * Machine-readable details for quick fixes, e.g. `{ suggestions: ['plan'] }`
   * for did-you-mean, `{ field: 'age', inferredType: 'integer' }`.
   */
  data?: Record<string, unknown>;
}

export interface CatalogEntry {
  code: string;
  severity: Severity;
  /** Short title, e.g. "Unknown field". */
  title: string;
  /** One paragraph: what it means and how to fix it. */
  explanation: string;
}
