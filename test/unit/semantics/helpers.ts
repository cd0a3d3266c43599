import { parse } from '../../../server/src/core/syntax/index.js';
import { buildModel, checkStatic, type FieldTypeInfo } from '../../../server/src/core/semantics/index.js';
import type { Finding } from '../../../server/src/core/diagnostics/types.js';

/** Builds a workspace from in-memory files and returns the model and all static findings. */
export function analyzeStatic(
  files: Record<string, string>,
  dataFieldTypes?: Map<string, Map<string, FieldTypeInfo>>,
  valuesOf?: (dataset: string, field: string) => string[] | undefined,
) {
  const parsed = Object.entries(files).map(([path, text]) => ({ path: `/ws/${path}`, text, version: 0, ast: parse(text) }));
  const { model, findings } = buildModel('/ws', parsed, { dataFieldTypes });
  return { model, findings: [...findings, ...checkStatic(model, valuesOf)] };
}

export function codes(findings: Finding[]): string[] {
  return findings.map((f) => f.code);
}

export const usersDataset = `dataset users {
  source "users.csv"
  fields {
    user_id: string
    age: integer
    plan: enum("free", "pro", "team", "enterprise")
    job: string?
    app_version: semver
    integrations: list<string>
    signup_date: date
    last_seen: datetime
    is_student: boolean
    ltv_usd: number?
  }
}
`;
