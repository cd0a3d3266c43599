/** What an import refuses (located by a JSON pointer into the flag file) and what it produces. */
import type { Condition } from '../export/condition.js';

export class ImportRefusal extends Error {
  constructor(
    message: string,
    /** JSON pointer into the file ('' for the file as a whole). */
    readonly pointer: string,
  ) {
    super(message);
    this.name = 'ImportRefusal';
  }
}

export interface ImportedFlag {
  /** The flag's key in the file. */
  key: string;
  /** When the flag is on, with the system's semantics. */
  condition: Condition;
  /** Referenced groups (saved groups, segments, cohorts) by id, those used first. */
  groups: Array<{ id: string; condition: Condition }>;
  /** What the text cannot say exactly (a value frozen at import), written as comments above it. */
  notes?: string[];
}
