/** The flag systems Segspec reads and evaluates (SPEC §12), by name. */
import { unreachable } from '../../util/unreachable.js';
import type { FlagSystem, FlagSystemName } from '../system.js';
import { growthbook } from './growthbook.js';
import { pendingSystem } from './pending.js';

export function flagSystem(name: FlagSystemName): FlagSystem {
  switch (name) {
    case 'growthbook':
      return growthbook;
    case 'unleash':
    case 'flagd':
    case 'launchdarkly':
    case 'posthog':
      return pendingSystem(name);
    default:
      return unreachable(name);
  }
}
