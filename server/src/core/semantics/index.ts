import type { Finding } from '../diagnostics/types.js';
import type { WorkspaceModel } from './model.js';
import { buildModel, type BuildOptions, type BuildResult } from './build-model.js';
import { checkDeclarations } from './declaration-checks.js';
import { checkTypes, type ValuesOf } from './type-checks.js';
import { checkLogic } from './logic-checks.js';
import { staticFinding } from './finding.js';

export { buildModel, type BuildOptions, type BuildResult, type ValuesOf };
export * from './model.js';

/** Syntax errors of every file as findings. */
export function syntaxFindings(model: WorkspaceModel): Finding[] {
  return [...model.files.values()].flatMap((file) =>
    file.ast.errors.map((error) =>
      staticFinding('SEG001', file.path, error.range, error.message, error.suggestions ? { suggestions: error.suggestions } : undefined),
    ),
  );
}

/** All static checks of SPEC §6.1 (those that need no data, plus did-you-mean on data values when given). */
export function checkStatic(model: WorkspaceModel, valuesOf?: ValuesOf): Finding[] {
  return [...syntaxFindings(model), ...checkDeclarations(model), ...checkTypes(model, valuesOf), ...checkLogic(model)];
}
