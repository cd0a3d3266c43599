/**
 * More benchmark figures (parse of a large spec, edit → diagnostics, …):
 * add a `Stage` here and bench.ts reports it after the engine figures.
 */
import type { Stage } from './harness.js';
import { specStages } from './spec-stages.js';
import { lspStages } from './lsp-stages.js';
import { responsivenessStages } from './responsiveness-stage.js';

export const extraStages: Stage[] = [...specStages, ...lspStages, ...responsivenessStages];
