/**
 * The flag systems' own Node SDKs, loaded with an exported document and asked
 * for one context at a time (ENGINEERING.md §5): the oracles of the export,
 * import and rollout tests.
 */
import { GrowthBook } from '@growthbook/growthbook';
import type { FlagContext, FlagSystemName } from '../../../server/src/core/flags/system.js';

export interface Oracle {
  /** Whether the flag is on for each context, in order. */
  decide(contexts: readonly FlagContext[]): Promise<boolean[]>;
  close(): Promise<void>;
}

export async function oracleFor(system: FlagSystemName, document: unknown, flagKey: string): Promise<Oracle> {
  switch (system) {
    case 'growthbook':
      return growthbookOracle(document, flagKey);
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
