/**
 * `segspec import`: a flag's targeting in a flag system's own file as
 * Segspec segments with the same membership under the system's semantics,
 * and a `flag` declaration that points at the file (SPEC §12).
 */
import { format } from '../../format/formatter.js';
import type { FlagSystemName } from '../system.js';
import { unreachable } from '../../util/unreachable.js';
import { importGrowthbook } from './growthbook.js';
import { importLaunchdarkly } from './launchdarkly.js';
import { importPosthog } from './posthog.js';
import type { AttributeFields, AttributeTypes } from './atoms.js';
import { attributeName, conditionText, segmentName, stringLiteral } from './print.js';
import { importUnleash } from './unleash.js';
import { importFlagd } from './flagd.js';
import type { ImportedFlag } from './problems.js';
import { all, any, type Condition } from '../export/condition.js';

export { ImportRefusal } from './problems.js';

export interface ImportResult {
  /** Formatted `.segspec` text. */
  text: string;
  /** The flag's key in the file. */
  key: string;
  /** The segment holding the flag's targeting. */
  segment: string;
  /** The `flag` declaration's name. */
  flag: string;
}

export interface ImportOptions {
  flagKey?: string;
  /** The `source` the `flag` declaration names. */
  source: string;
  /** The dataset's field types (by field name), when known: list attributes are read element-wise. */
  attributeTypes?: AttributeTypes;
  /** Attribute → field, for attributes not named as their field (the flag declaration's `context`). */
  context?: AttributeFields;
  /** The dataset the segments draw from (`from D`), needed where the workspace has several. */
  dataset?: string;
  /** Field → the values an enum field can take (declared, else those in the data). */
  enumValues?: ReadonlyMap<string, readonly string[]>;
}

export function importFlag(fileText: string, system: FlagSystemName, options: ImportOptions): ImportResult {
  const imported = withinEnums(withFields(readFlag(fileText, system, options), options.context), options.enumValues);
  const flag = segmentName(imported.key);
  const segment = `${flag}_targeting`;
  const title = `${systemTitle(system)} feature ${imported.key}`;
  const lines: string[] = [`// Imported from ${options.source.replace(/[\r\n]/g, ' ')}: who gets ${title}, as ${systemTitle(system)} decides it.`];
  for (const note of imported.notes ?? []) lines.push(`// Note: ${note.replace(/[\r\n]/g, ' ')}`);
  const names = new Map(imported.groups.map((g) => [g.id, segmentName(g.id)]));
  const nameOf = (id: string): string => names.get(id) ?? segmentName(id);
  const from = options.dataset === undefined ? '' : ` from ${attributeName(options.dataset)}`;
  for (const group of imported.groups) {
    lines.push(`segment ${nameOf(group.id)} ${stringLiteral(`${systemTitle(system)} group ${group.id}`)} {${from} where ${conditionText(group.condition, nameOf)} }`);
  }
  lines.push(`segment ${segment} ${stringLiteral(title)} {${from} where ${conditionText(imported.condition, nameOf)} }`);
  lines.push(`flag ${flag} ${stringLiteral(title)} { system ${system} source ${stringLiteral(options.source)} key ${stringLiteral(imported.key)} for ${segment}${contextText(options.context)} }`);
  const raw = `${lines.join('\n\n')}\n`;
  return { text: format(raw) ?? raw, key: imported.key, segment, flag };
}

function readFlag(text: string, system: FlagSystemName, { flagKey, attributeTypes, context }: ImportOptions): ImportedFlag {
  switch (system) {
    case 'growthbook':
      return importGrowthbook(text, flagKey, attributeTypes, context);
    case 'launchdarkly':
      return importLaunchdarkly(text, flagKey, { types: attributeTypes, context });
    case 'posthog':
      return importPosthog(text, flagKey, { types: attributeTypes, context });
    case 'unleash':
      return importUnleash(text, flagKey, { types: attributeTypes, context });
    case 'flagd':
      return importFlagd(text, flagKey, { types: attributeTypes, context });
    default:
      return unreachable(system);
  }
}

/** Every test written on the field that holds its attribute (the `flag` declaration's context says which). */
function withFields(imported: ImportedFlag, context: AttributeFields | undefined): ImportedFlag {
  if (!context || context.size === 0) return imported;
  const walk = (cond: Condition): Condition => {
    switch (cond.kind) {
      case 'all':
      case 'any':
        return { ...cond, items: cond.items.map(walk) };
      case 'constant':
      case 'segment':
        return cond;
      default:
        return { ...cond, subject: { ...cond.subject, field: context.get(cond.subject.attribute) ?? cond.subject.field } };
    }
  };
  return { ...imported, condition: walk(imported.condition), groups: imported.groups.map((g) => ({ ...g, condition: walk(g.condition) })) };
}

/**
 * Tests of an enum field against values it never takes (which Segspec's
 * checks reject) written as what they give: `== v` never holds, `!= v`
 * holds for every present value; a list keeps the values the field takes.
 */
function withinEnums(imported: ImportedFlag, enums: ReadonlyMap<string, readonly string[]> | undefined): ImportedFlag {
  if (!enums || enums.size === 0) return imported;
  const walk = (cond: Condition): Condition => {
    switch (cond.kind) {
      case 'all':
        return all(cond.items.map(walk));
      case 'any': {
        const items = cond.items.map(walk);
        // `x is missing or x is not missing` (what `not in` becomes when every value listed is one x never takes).
        const presence = items.filter((c): c is Extract<Condition, { kind: 'present' }> => c.kind === 'present');
        if (presence.some((p) => p.negated && presence.some((q) => !q.negated && q.subject.field === p.subject.field && !q.subject.transform && !p.subject.transform))) return { kind: 'constant', value: true };
        return any(items);
      }
      case 'equals':
      case 'oneOf': {
        const allowed = cond.subject.transform ? undefined : enums.get(cond.subject.field);
        if (!allowed) return cond;
        const values = cond.kind === 'equals' ? [cond.value] : cond.values;
        const kept = values.filter((v) => v.type !== 'string' || allowed.includes(v.value));
        if (kept.length === values.length) return cond;
        if (kept.length === 0) return cond.negated ? { kind: 'present', subject: cond.subject, negated: false } : { kind: 'constant', value: false };
        return cond.kind === 'equals' ? cond : { ...cond, values: kept };
      }
      default:
        return cond;
    }
  };
  return { ...imported, condition: walk(imported.condition), groups: imported.groups.map((g) => ({ ...g, condition: walk(g.condition) })) };
}

function contextText(context: AttributeFields | undefined): string {
  const entries = [...(context ?? new Map<string, string>())].filter(([attribute, field]) => attribute !== field);
  if (entries.length === 0) return '';
  return ` context { ${entries.map(([attribute, field]) => `${/^[A-Za-z_][A-Za-z0-9_]*$/.test(attribute) ? attribute : stringLiteral(attribute)}: ${attributeName(field)}`).join(', ')} }`;
}

function systemTitle(system: FlagSystemName): string {
  return { growthbook: 'GrowthBook', unleash: 'Unleash', flagd: 'flagd', launchdarkly: 'LaunchDarkly', posthog: 'PostHog' }[system];
}
