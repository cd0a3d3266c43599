/**
 * Percentage rollouts as each system's Node SDK buckets them (SPEC §12), for
 * the flags `segspec export --rollout` writes: whether one identity gets the
 * flag at a percentage, given the flag key and the system's seed or salt.
 */
import type { FlagSystemName } from './system.js';
import { growthbookHash, murmur3Flagd, murmur3Unleash, sha1Scale15 } from './hash.js';
import { unreachable } from '../util/unreachable.js';

export interface RolloutBucketing {
  system: FlagSystemName;
  flagKey: string;
  /** 0–100. */
  percent: number;
  /** GrowthBook's `seed`, Unleash's `groupId`, LaunchDarkly's rollout `seed` (a number); default: per system. */
  seed?: string;
  /** LaunchDarkly's flag `salt` (default: the flag key). */
  salt?: string;
}

/** What to refuse before bucketing: an option the system does not have. */
export function rolloutProblem(b: RolloutBucketing): string | undefined {
  if (!(b.percent >= 0 && b.percent <= 100)) return `the percentage must be between 0 and 100; got ${b.percent}`;
  switch (b.system) {
    case 'growthbook':
      return b.salt !== undefined ? 'GrowthBook has a seed, not a salt: use --seed' : undefined;
    case 'unleash':
      if (b.salt !== undefined) return 'Unleash buckets by groupId: use --seed for it';
      return Number.isInteger(b.percent) ? undefined : `Unleash rolls out in whole percents; got ${b.percent}%`;
    case 'flagd':
      return b.seed !== undefined || b.salt !== undefined ? 'flagd buckets by the flag key and the targeting key: it takes no seed or salt' : undefined;
    case 'launchdarkly':
      return b.seed !== undefined && !/^-?\d+$/.test(b.seed) ? `LaunchDarkly's rollout seed is a whole number; got '${b.seed}'` : undefined;
    case 'posthog':
      return b.seed !== undefined || b.salt !== undefined ? 'PostHog buckets by the flag key and the distinct id: it takes no seed or salt' : undefined;
    default:
      return unreachable(b.system);
  }
}

/** Whether the identity `id` is inside the rollout. */
export function inRollout(b: RolloutBucketing, id: string): boolean {
  switch (b.system) {
    case 'growthbook': {
      // isIncludedInRollout: coverage 0 excludes everyone, an empty hash attribute too; else n <= coverage.
      if (b.percent === 0 || id === '') return false;
      const n = growthbookHash(b.seed ?? b.flagKey, id, 2);
      return n !== undefined && n <= b.percent / 100;
    }
    case 'unleash':
      return b.percent > 0 && (murmur3Unleash(`${b.seed ?? b.flagKey}:${id}`) % 100) + 1 <= b.percent;
    case 'flagd': {
      const [on, total] = flagdWeights(b.percent);
      const bucket = (BigInt(murmur3Flagd(`${b.flagKey}${id}`) >>> 0) * BigInt(total)) >> 32n;
      return bucket < BigInt(on);
    }
    case 'launchdarkly': {
      const prefix = b.seed !== undefined ? String(Number(b.seed)) : `${b.flagKey}.${b.salt ?? b.flagKey}`;
      return sha1Scale15(`${prefix}.${id}`) < launchdarklyWeight(b.percent) / 100_000;
    }
    case 'posthog':
      return sha1Scale15(`${b.flagKey}.${id}`) <= b.percent / 100;
    default:
      return unreachable(b.system);
  }
}

/** flagd's `fractional` takes whole weights: the percentage scaled until it is one; [on, total]. */
export function flagdWeights(percent: number): [number, number] {
  let scale = 1;
  while (!Number.isInteger(Math.round(percent * scale * 1e6) / 1e6) && scale < 1e6) scale *= 10;
  return [Math.round(percent * scale), 100 * scale];
}

/** LaunchDarkly's weight (of 100,000) for a percentage. */
export function launchdarklyWeight(percent: number): number {
  return Math.round(percent * 1000);
}
