/**
 * What an export refuses (a construct the system cannot express) and what it
 * warns about (a value frozen at the as-of date), each located in the spec.
 */
import type { Range } from '../../syntax/ast.js';

export interface SpecLocation {
  file: string;
  range: Range;
}

/** A construct the target system cannot express: the export writes nothing. */
export class ExportRefusal extends Error {
  constructor(
    message: string,
    readonly location?: SpecLocation,
  ) {
    super(message);
    this.name = 'ExportRefusal';
  }
}

/** Written, but not as the spec says it: a relative date or an aggregate frozen at the as-of date, a case-insensitive match. */
export interface ExportWarning extends SpecLocation {
  message: string;
}
