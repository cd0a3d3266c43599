/**
 * A tiny stand-in for a flag system, for tests of the `flag` declaration only
 * (never product code). Its file: `{ "flags": { KEY: { "rules": [RULE…] } } }`,
 * each RULE `{ "attribute": A, "in": [values] }` or `{ "attribute": A, "below": N }`
 * or `{ "unsupported": "what" }`; the first rule that holds turns the flag on.
 */
import type { FlagContext, FlagDecision, FlagDefinition, FlagFileProblem, FlagSystem, LoadedFlagFile } from '../../../server/src/core/flags/system.js';

export interface ToyRule {
  attribute?: string;
  in?: Array<string | number | boolean>;
  below?: number;
  unsupported?: string;
}

export function toyRuleHolds(rule: ToyRule, ctx: FlagContext): boolean {
  const value = rule.attribute === undefined ? undefined : ctx[rule.attribute];
  if (value === undefined || Array.isArray(value)) return false;
  if (rule.in) return rule.in.includes(value as string | number | boolean);
  if (rule.below !== undefined) return typeof value === 'number' && value < rule.below;
  return false;
}

/** The line (0-based) of the first occurrence of `needle` in `text`. */
function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  return at < 0 ? 0 : text.slice(0, at).split('\n').length - 1;
}

function broken(message: string, pointer: string): LoadedFlagFile {
  return { system: 'growthbook', flags: [], problems: [{ kind: 'invalid', pointer, line: 0, character: 0, message }], evaluate: () => undefined };
}

export const toySystem: FlagSystem = {
  name: 'growthbook',
  title: 'Toy',
  identityAttribute: 'id',
  read(text: string): LoadedFlagFile {
    let json: { flags?: Record<string, { rules?: ToyRule[] }> };
    try {
      json = JSON.parse(text) as typeof json;
    } catch {
      return broken('Toy: the file is not JSON', '');
    }
    if (typeof json.flags !== 'object' || json.flags === null) return broken('Toy: `flags` must be an object', '/flags');
    const flags = json.flags;
    const definitions: FlagDefinition[] = Object.entries(flags).map(([key, flag]) => {
      const problems: FlagFileProblem[] = (flag.rules ?? []).flatMap((rule, i) =>
        rule.unsupported
          ? [{ kind: 'unsupported' as const, pointer: `/flags/${key}/rules/${i}`, line: lineOf(text, rule.unsupported), message: `Toy: ${rule.unsupported} cannot be evaluated` }]
          : [],
      );
      const attributes = [...new Set((flag.rules ?? []).flatMap((r) => (r.attribute ? [r.attribute] : [])))];
      return { key, location: { pointer: `/flags/${key}`, line: lineOf(text, `"${key}"`) }, attributes, prerequisites: [], problems };
    });
    return {
      system: 'growthbook',
      flags: definitions,
      problems: [],
      evaluate(key: string, ctx: FlagContext): FlagDecision | undefined {
        const flag = flags[key];
        if (!flag) return undefined;
        const rules = flag.rules ?? [];
        for (let i = 0; i < rules.length; i++) {
          if (rules[i].unsupported) return undefined;
          if (toyRuleHolds(rules[i], ctx)) {
            return { on: true, rule: `rule ${i + 1}`, location: { pointer: `/flags/${key}/rules/${i}`, line: lineOf(text, `"${key}"`) + 1 } };
          }
        }
        return { on: false, rule: 'default' };
      },
    };
  },
};
