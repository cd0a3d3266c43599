/**
 * A system whose reader is not built yet: every file is one `unsupported`
 * problem, and nothing is decided (never a guessed decision).
 */
import type { FlagSystem, FlagSystemName } from '../system.js';

const identities: Record<FlagSystemName, { title: string; identityAttribute: string }> = {
  growthbook: { title: 'GrowthBook', identityAttribute: 'id' },
  unleash: { title: 'Unleash', identityAttribute: 'userId' },
  flagd: { title: 'flagd', identityAttribute: 'targetingKey' },
  launchdarkly: { title: 'LaunchDarkly', identityAttribute: 'key' },
  posthog: { title: 'PostHog', identityAttribute: 'distinct_id' },
};

export function pendingSystem(name: FlagSystemName): FlagSystem {
  const { title, identityAttribute } = identities[name];
  return {
    name,
    title,
    identityAttribute,
    read: () => ({
      system: name,
      flags: [],
      problems: [{ kind: 'unsupported', pointer: '', line: 0, character: 0, message: `${title}: Segspec cannot read this system's files yet` }],
      evaluate: () => undefined,
    }),
  };
}
