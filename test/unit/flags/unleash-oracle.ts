/** unleash-client 6.12 bootstrapped offline: the oracle for the Unleash tests. */
import { once } from 'node:events';
import { InMemStorageProvider, Unleash, type Context } from 'unleash-client';
import type { FlagContext } from '../../../server/src/core/flags/system.js';

const topLevel = new Set(['userId', 'sessionId', 'remoteAddress', 'currentTime', 'environment', 'appName']);

export async function unleashOracle(features: unknown[], segments: unknown[] = []): Promise<Unleash> {
  const client = new Unleash({
    appName: 'segspec-test',
    url: 'http://127.0.0.1:9/api/',
    refreshInterval: 0,
    disableMetrics: true,
    storageProvider: new InMemStorageProvider(),
    bootstrap: { data: features as never, segments: segments as never },
  });
  if (!client.isSynchronized()) await once(client, 'synchronized');
  return client;
}

/** A Segspec context as the application would hand it to the SDK: standard fields on top, the rest in `properties`. */
export function unleashContext(ctx: FlagContext): Context {
  const context: Record<string, unknown> = {};
  const properties: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(ctx)) {
    if (k === 'currentTime') context[k] = new Date(v as string);
    else if (topLevel.has(k)) context[k] = v;
    else properties[k] = v;
  }
  return { ...context, properties } as Context;
}
