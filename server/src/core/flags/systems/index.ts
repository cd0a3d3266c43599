/** The flag systems Segspec reads and evaluates (SPEC §12), by name. */
import { unreachable } from '../../util/unreachable.js';
import type { FlagSystem, FlagSystemName } from '../system.js';
import { flagd, flagdHashNote } from './flagd.js';
import { growthbook } from './growthbook.js';
import { launchdarkly } from './launchdarkly.js';
import { posthog } from './posthog.js';
import { unleash, unleashHashNote } from './unleash.js';

export function flagSystem(name: FlagSystemName): FlagSystem {
  switch (name) {
    case 'growthbook':
      return growthbook;
    case 'unleash':
      return unleash;
    case 'launchdarkly':
      return launchdarkly;
    case 'flagd':
      return flagd;
    case 'posthog':
      return posthog;
    default:
      return unreachable(name);
  }
}

/**
 * What a finding says about a bucketing key the system's SDKs hash
 * differently (characters outside ASCII in Unleash and flagd, whose Node SDKs
 * hash UTF-16 units): the SDK Segspec follows. Undefined when all SDKs agree.
 */
export function hashNote(name: FlagSystemName, key: string): string | undefined {
  switch (name) {
    case 'unleash':
      return unleashHashNote(key);
    case 'flagd':
      return flagdHashNote(key);
    case 'growthbook':
    case 'launchdarkly':
    case 'posthog':
      return undefined;
    default:
      return unreachable(name);
  }
}
