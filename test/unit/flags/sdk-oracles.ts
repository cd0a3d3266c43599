/**
 * The flag systems' own Node SDKs, loaded with an exported document and asked
 * for one context at a time (ENGINEERING.md §5): the oracles of the export,
 * import and rollout tests.
 */
import { GrowthBook } from '@growthbook/growthbook';
import { PostHog } from 'posthog-node';
import { InMemStorageProvider, startUnleash } from 'unleash-client';
import { FlagdCore } from '@openfeature/flagd-core';
import { init as initLaunchDarkly, integrations as ldIntegrations } from '@launchdarkly/node-server-sdk';
import type { FlagContext, FlagSystemName } from '../../../server/src/core/flags/system.js';

export interface Oracle {
  /** Whether the flag is on for each context, in order; undefined where the SDK cannot decide offline (PostHog). */
  decide(contexts: readonly FlagContext[]): Promise<Array<boolean | undefined>>;
  close(): Promise<void>;
}

export async function oracleFor(system: FlagSystemName, document: unknown, flagKey: string): Promise<Oracle> {
  switch (system) {
    case 'growthbook':
      return growthbookOracle(document, flagKey);
    case 'flagd':
      return flagdOracle(document, flagKey);
    case 'launchdarkly':
      return launchdarklyOracle(document, flagKey);
    case 'unleash':
      return unleashOracle(document, flagKey);
    case 'posthog':
      return posthogOracle(document, flagKey);
    default:
      throw new Error(`no oracle for ${system} yet`);
  }
}

async function growthbookOracle(document: unknown, flagKey: string): Promise<Oracle> {
  const payload = document as { features: Record<string, unknown>; savedGroups?: Record<string, unknown> };
  const gb = new GrowthBook({ attributes: {} });
  await gb.setPayload(payload as never);
  return {
    async decide(contexts) {
      const out: boolean[] = [];
      for (const ctx of contexts) {
        await gb.setAttributes({ ...ctx });
        out.push(gb.isOn(flagKey));
      }
      return out;
    },
    async close() {
      gb.destroy();
    },
  };
}

async function flagdOracle(document: unknown, flagKey: string): Promise<Oracle> {
  const core = new FlagdCore();
  core.setConfigurations(JSON.stringify(document));
  const logger = { debug() {}, info() {}, warn() {}, error() {} };
  return {
    async decide(contexts) {
      return contexts.map((ctx) => core.resolveBooleanEvaluation(flagKey, false, { ...ctx } as never, logger).value === true);
    },
    async close() {},
  };
}

async function launchdarklyOracle(document: unknown, flagKey: string): Promise<Oracle> {
  const data = document as { flags: Record<string, unknown>; segments?: Record<string, unknown> };
  const td = new ldIntegrations.TestData();
  for (const segment of Object.values(data.segments ?? {})) await td.usePreconfiguredSegment(segment as never);
  for (const flag of Object.values(data.flags)) await td.usePreconfiguredFlag(flag as never);
  const silent = { error() {}, warn() {}, info() {}, debug() {} };
  const client = initLaunchDarkly('sdk-key', { updateProcessor: td.getFactory(), sendEvents: false, diagnosticOptOut: true, logger: silent });
  await client.waitForInitialization({ timeout: 10 });
  return {
    async decide(contexts) {
      const out: boolean[] = [];
      for (const ctx of contexts) {
        const detail = await client.variationDetail(flagKey, { kind: 'user', ...ctx } as never, false);
        out.push(detail.value === true);
      }
      return out;
    },
    async close() {
      client.close();
    },
  };
}

async function unleashOracle(document: unknown, flagKey: string): Promise<Oracle> {
  const response = document as { features: unknown[]; segments?: unknown[] };
  const unleash = await startUnleash({
    appName: 'segspec-test',
    url: 'http://127.0.0.1:9/api/',
    refreshInterval: 0,
    disableMetrics: true,
    storageProvider: new InMemStorageProvider(),
    bootstrap: { data: response.features as never, segments: (response.segments ?? []) as never },
  });
  return {
    async decide(contexts) {
      return contexts.map((ctx) => {
        const { userId, ...properties } = ctx;
        return unleash.isEnabled(flagKey, { userId: String(userId), properties: properties as never });
      });
    },
    async close() {
      unleash.destroy();
    },
  };
}

async function posthogOracle(document: unknown, flagKey: string): Promise<Oracle> {
  const definitions = document as { flags: unknown[]; group_type_mapping: unknown; cohorts: unknown };
  const client = new PostHog('phc_segspec_test', {
    host: 'http://127.0.0.1:9',
    flagDefinitionCacheProvider: {
      getFlagDefinitions: async () => definitions as never,
      shouldFetchFlagDefinitions: async () => false,
      onFlagDefinitionsReceived: async () => {},
      shutdown: async () => {},
    },
    strictLocalEvaluation: true,
    featureFlagsPollingInterval: null as never,
    disableGeoip: true,
  } as never);
  return {
    async decide(contexts) {
      const out: Array<boolean | undefined> = [];
      for (const ctx of contexts) {
        const { distinct_id: id, ...personProperties } = ctx;
        const flags = await client.getAllFlags(String(id), { personProperties: personProperties as never, onlyEvaluateLocally: true });
        const value = flags[flagKey];
        out.push(value === undefined ? undefined : value !== false);
      }
      return out;
    },
    async close() {
      await client.shutdown();
    },
  };
}

/** Attributes a PostHog document reads (flag groups and cohorts). */
export function posthogAttributes(document: unknown): Set<string> {
  const keys = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach(visit);
    else if (node && typeof node === 'object') {
      const o = node as Record<string, unknown>;
      if (o.type === 'person' && typeof o.key === 'string') keys.add(o.key);
      Object.values(o).forEach(visit);
    }
  };
  visit(document);
  return keys;
}

/**
 * Where PostHog's local evaluation may leave a row undecided: a property the
 * flag reads is missing, or holds text outside ASCII (patterns are then
 * evaluated by PostHog's server).
 */
export function posthogMayDefer(document: unknown, ctx: FlagContext): boolean {
  for (const key of posthogAttributes(document)) {
    const v = ctx[key];
    if (v === undefined) return true;
    if (/[^\x00-\x7f]|\r/.test(Array.isArray(v) ? v.join(',') : String(v))) return true;
  }
  return false;
}
