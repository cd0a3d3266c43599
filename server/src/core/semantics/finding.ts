import type { Range } from '../syntax/ast.js';
import type { Finding, Severity } from '../diagnostics/types.js';
import { staticCodes } from './codes.js';
import { flagCodes } from '../flags/codes.js';

const severities = new Map<string, Severity>([...staticCodes, ...flagCodes].map((c) => [c.code, c.severity]));

/** A static finding with the catalog's severity for its code. */
export function staticFinding(
  code: string,
  file: string,
  range: Range,
  message: string,
  data?: Record<string, unknown>,
): Finding {
  const severity = severities.get(code);
  if (!severity) throw new Error(`unknown static code ${code}`);
  return data ? { code, severity, message, file, range, data } : { code, severity, message, file, range };
}
