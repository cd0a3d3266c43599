/**
 * `segspec export`: a segment as a flag in a flag system's own format, on
 * exactly for the segment's members under that system's semantics (SPEC §12).
 */
import type { FlagSystemName } from '../system.js';
import { unreachable } from '../../util/unreachable.js';
import { flagdDocument } from './flagd.js';
import { growthbookDocument } from './growthbook.js';
import { launchdarklyDocument } from './launchdarkly.js';
import { posthogDocument } from './posthog.js';
import { unleashDocument } from './unleash.js';
import { planExport, type ExportPlan, type ExportRequest } from './plan.js';
import type { ExportWarning } from './problems.js';

export { ExportRefusal, type ExportWarning, type SpecLocation } from './problems.js';
export type { ExportRequest, ExportPlan } from './plan.js';
export { flagContextOf } from './context.js';

export interface ExportResult {
  /** The document, as the system loads it. */
  document: unknown;
  /** The document as text (formatted JSON). */
  text: string;
  flagKey: string;
  /** The context attribute the system buckets and identifies by, carrying the dataset's key. */
  identityAttribute: string;
  /** Context attribute → the field it carries. */
  attributes: Map<string, string>;
  keyField: string | undefined;
  warnings: ExportWarning[];
}

export const SYSTEM_TITLES: Record<FlagSystemName, string> = {
  growthbook: 'GrowthBook',
  unleash: 'Unleash',
  flagd: 'flagd',
  launchdarkly: 'LaunchDarkly',
  posthog: 'PostHog',
};

export const IDENTITY_ATTRIBUTES: Record<FlagSystemName, string> = {
  growthbook: 'id',
  unleash: 'userId',
  flagd: 'targetingKey',
  launchdarkly: 'key',
  posthog: 'distinct_id',
};

/** Throws `ExportRefusal` (located) for what the system cannot express. */
export function exportSegment(request: ExportRequest): ExportResult {
  const plan = planExport(request, SYSTEM_TITLES[request.system]);
  const document = documentFor(plan);
  return {
    document,
    text: `${JSON.stringify(document, null, 2)}\n`,
    flagKey: plan.flagKey,
    identityAttribute: IDENTITY_ATTRIBUTES[request.system],
    attributes: plan.attributes,
    keyField: plan.keyField,
    warnings: plan.warnings,
  };
}

function documentFor(plan: ExportPlan): unknown {
  switch (plan.system) {
    case 'growthbook':
      return growthbookDocument(plan);
    case 'flagd':
      return flagdDocument(plan);
    case 'launchdarkly':
      return launchdarklyDocument(plan);
    case 'unleash':
      return unleashDocument(plan);
    case 'posthog':
      return posthogDocument(plan);
    default:
      return unreachable(plan.system);
  }
}
