/**
 * GrowthBook: the SDK payload (`features`, `savedGroups`) read and evaluated
 * as `@growthbook/growthbook` 1.8 does on the server (no sticky bucketing,
 * no URL, no QA mode): rules in order, force rules with coverage or range,
 * experiment rules with weights, coverage, namespaces and filters, hash v1/v2
 * with seed, prerequisites, and the default value.
 */
import { z } from 'zod';
import { growthbookHash } from '../hash.js';
import type { FlagContext, FlagDecision, FlagDefinition, FlagFileLocation, FlagFileProblem, FlagSystem, LoadedFlagFile } from '../system.js';
import { conditionAttributes, evalCondition } from './growthbook-condition.js';
import { readJsonFile, schemaProblems, unsupported, type JsonFile } from './json-file.js';

const condition = z.record(z.string(), z.unknown());
const range = z.tuple([z.number(), z.number()]);

const filterSchema = z.looseObject({
  attribute: z.string().optional(),
  seed: z.string(),
  hashVersion: z.number().optional(),
  ranges: z.array(range),
});

const ruleSchema = z.looseObject({
  id: z.string().optional(),
  condition: condition.optional(),
  parentConditions: z
    .array(z.looseObject({ id: z.string(), condition: condition.optional(), gate: z.boolean().optional() }))
    .optional(),
  filters: z.array(filterSchema).optional(),
  force: z.unknown().optional(),
  variations: z.array(z.unknown()).optional(),
  contextualVariations: z.array(z.unknown()).optional(),
  weights: z.array(z.number()).optional(),
  key: z.string().optional(),
  hashAttribute: z.string().optional(),
  fallbackAttribute: z.string().optional(),
  hashVersion: z.number().optional(),
  range: range.optional(),
  coverage: z.number().optional(),
  namespace: z.tuple([z.string(), z.number(), z.number()]).optional(),
  ranges: z.array(range).optional(),
  meta: z.array(z.looseObject({ key: z.string().optional(), passthrough: z.boolean().optional() })).optional(),
  seed: z.string().optional(),
  name: z.string().optional(),
  phase: z.string().optional(),
});

const featureSchema = z.looseObject({
  defaultValue: z.unknown().optional(),
  rules: z.array(ruleSchema).optional(),
});

const payloadSchema = z.looseObject({
  features: z.record(z.string(), featureSchema).optional(),
  encryptedFeatures: z.string().optional(),
  savedGroups: z.record(z.string(), z.unknown()).optional(),
  encryptedSavedGroups: z.string().optional(),
});

type Rule = z.infer<typeof ruleSchema>;
type Feature = z.infer<typeof featureSchema>;
type Attributes = Readonly<Record<string, unknown>>;
type SavedGroups = Readonly<Record<string, unknown>>;

/** No feature on the way to this one yet (prerequisites add to a copy). */
const NO_STACK: ReadonlySet<string> = new Set();

interface Result {
  value: unknown;
  source: 'force' | 'experiment' | 'defaultValue' | 'unknownFeature' | 'prerequisite' | 'cyclicPrerequisite';
  rule?: number;
}

/** Keys of a rule the server-side SDK cannot decide from attributes alone. */
const contextBoundRuleKeys: ReadonlyArray<[string, string]> = [
  ['urlPatterns', 'URL targeting (`urlPatterns`)'],
  ['url', 'URL targeting (`url`)'],
  ['groups', 'group targeting (`groups`)'],
  ['contextualBanditRef', 'a contextual bandit (`contextualBanditRef`)'],
];

function hashAttributeValue(attributes: Attributes, attribute: string | undefined): unknown {
  const value = attributes[attribute || 'id'];
  return value ? value : '';
}

function hashOf(seed: string, value: unknown, version: number): number | undefined {
  return growthbookHash(seed, String(value), version);
}

function inRange(n: number, r: readonly [number, number]): boolean {
  return n >= r[0] && n < r[1];
}

function isFilteredOut(filters: NonNullable<Rule['filters']>, attributes: Attributes): boolean {
  return filters.some((filter) => {
    const value = hashAttributeValue(attributes, filter.attribute);
    if (!value) return true;
    const n = hashOf(filter.seed, value, filter.hashVersion || 2);
    if (n === undefined) return true;
    return !filter.ranges.some((r) => inRange(n, r));
  });
}

function isIncludedInRollout(attributes: Attributes, seed: string, rule: Rule): boolean {
  if (!rule.range && rule.coverage === undefined) return true;
  if (!rule.range && rule.coverage === 0) return false;
  const value = hashAttributeValue(attributes, rule.hashAttribute);
  if (!value) return false;
  const n = hashOf(seed, value, rule.hashVersion || 1);
  if (n === undefined) return false;
  return rule.range ? inRange(n, rule.range) : rule.coverage !== undefined ? n <= rule.coverage : true;
}

function bucketRanges(count: number, coverageIn: number | undefined, weightsIn: number[] | undefined): Array<[number, number]> {
  const coverage = Math.min(1, Math.max(0, coverageIn === undefined ? 1 : coverageIn));
  const equal = count <= 0 ? [] : new Array<number>(count).fill(1 / count);
  let weights = weightsIn || equal;
  if (weights.length !== count) weights = equal;
  const total = weights.reduce((sum, w) => sum + w, 0);
  if (total < 0.99 || total > 1.01) weights = equal;
  let cumulative = 0;
  return weights.map((w) => {
    const start = cumulative;
    cumulative += w;
    return [start, start + coverage * w];
  });
}

function inNamespace(value: unknown, namespace: readonly [string, number, number]): boolean {
  const n = hashOf('__' + namespace[0], value, 1);
  return n !== undefined && n >= namespace[1] && n < namespace[2];
}

/** The value an experiment rule serves, or undefined when the row is not in the experiment. */
function runExperiment(rule: Rule, featureKey: string, variations: readonly unknown[], attributes: Attributes, groups: SavedGroups): { value: unknown } | undefined {
  if (variations.length < 2) return undefined;
  const key = rule.key || featureKey;
  if (rule.status === 'draft' || rule.active === false) return undefined;
  const value = hashAttributeValue(attributes, rule.hashAttribute);
  if (!value) return undefined;
  if (rule.filters) {
    if (isFilteredOut(rule.filters, attributes)) return undefined;
  } else if (rule.namespace && !inNamespace(value, rule.namespace)) return undefined;
  if (rule.condition && !evalCondition(attributes, rule.condition, groups)) return undefined;
  const n = hashOf(rule.seed || key, value, rule.hashVersion || 1);
  if (n === undefined) return undefined;
  const ranges = rule.ranges || bucketRanges(variations.length, rule.coverage, rule.weights);
  const assigned = ranges.findIndex((r) => inRange(n, r));
  if (assigned < 0 || assigned >= variations.length) return undefined;
  if ('force' in rule) {
    const forced = rule.force as number | undefined;
    if (forced === undefined || forced < 0 || forced >= variations.length) return undefined;
    return rule.meta?.[forced]?.passthrough ? undefined : { value: variations[forced] };
  }
  if (rule.status === 'stopped') return undefined;
  if (rule.meta?.[assigned]?.passthrough) return undefined;
  return { value: variations[assigned] };
}

function evaluateFeature(features: Readonly<Record<string, Feature>>, groups: SavedGroups, attributes: Attributes, id: string, stack: ReadonlySet<string>): Result {
  if (stack.has(id)) return { value: null, source: 'cyclicPrerequisite' };
  const feature = Object.prototype.hasOwnProperty.call(features, id) ? features[id] : undefined;
  if (!feature) return { value: null, source: 'unknownFeature' };
  // The features on the way here, made only when a rule has prerequisites (most rows never need it).
  let inner: ReadonlySet<string> | undefined;
  const evaluate = (parent: string): Result => evaluateFeature(features, groups, attributes, parent, (inner ??= new Set(stack).add(id)));
  const rules = feature.rules ?? [];
  rules: for (let index = 0; index < rules.length; index++) {
    const rule = rules[index]!;
    for (const parent of rule.parentConditions ?? []) {
      const result = evaluate(parent.id);
      if (result.source === 'cyclicPrerequisite') return { value: null, source: 'cyclicPrerequisite' };
      if (!evalCondition({ value: result.value }, parent.condition || {}, groups)) {
        if (parent.gate) return { value: null, source: 'prerequisite', rule: index };
        continue rules;
      }
    }
    if (rule.filters && isFilteredOut(rule.filters, attributes)) continue;
    if ('force' in rule) {
      if (rule.condition && !evalCondition(attributes, rule.condition, groups)) continue;
      if (!isIncludedInRollout(attributes, rule.seed || id, rule)) continue;
      return { value: rule.force, source: 'force', rule: index };
    }
    const variations = rule.contextualVariations ?? rule.variations;
    if (!variations) continue;
    const served = runExperiment(rule, id, variations, attributes, groups);
    if (served) return { value: served.value, source: 'experiment', rule: index };
  }
  return { value: feature.defaultValue === undefined ? null : feature.defaultValue, source: 'defaultValue' };
}

function describeRule(rule: Rule, index: number): string {
  const what = 'force' in rule ? (rule.coverage !== undefined && rule.coverage < 1 ? `rollout ${+(rule.coverage * 100).toFixed(4)}%` : rule.range ? 'rollout range' : 'force') : 'experiment';
  const condition = rule.condition ? ` ${JSON.stringify(rule.condition)}` : '';
  return `rule ${index + 1}${rule.id ? ` (${rule.id})` : ''}: ${what}${condition}`;
}

function variationName(value: unknown): string | undefined {
  if (typeof value === 'boolean' || value === null || value === undefined) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function flagProblems(file: JsonFile, key: string, feature: Feature, featureKeys: ReadonlySet<string>): FlagFileProblem[] {
  const problems: FlagFileProblem[] = [];
  (feature.rules ?? []).forEach((rule, index) => {
    const pointer = `/features/${key.replace(/~/g, '~0').replace(/\//g, '~1')}/rules/${index}`;
    for (const [ruleKey, what] of contextBoundRuleKeys) {
      if (ruleKey in rule) problems.push(unsupported(file, `${pointer}/${ruleKey}`, `GrowthBook: ${what} depends on the page or the SDK instance, not on the attributes, so Segspec cannot evaluate it`));
    }
    if (typeof rule.hashVersion === 'number' && rule.hashVersion !== 1 && rule.hashVersion !== 2) {
      problems.push(unsupported(file, `${pointer}/hashVersion`, `GrowthBook: hash version ${rule.hashVersion} is unknown to the SDK`));
    }
    for (const parent of rule.parentConditions ?? []) {
      if (!featureKeys.has(parent.id)) problems.push({ kind: 'invalid', ...file.locate(`${pointer}/parentConditions`), message: `GrowthBook: prerequisite feature \`${parent.id}\` is not in the file` });
    }
  });
  return problems;
}

function ruleAttributes(rule: Rule, groups: SavedGroups, into: Set<string>): void {
  conditionAttributes(rule.condition, groups, into);
  const buckets = !('force' in rule) || rule.coverage !== undefined || rule.range !== undefined || rule.filters !== undefined;
  if (buckets) into.add(rule.hashAttribute || 'id');
  for (const filter of rule.filters ?? []) into.add(filter.attribute || 'id');
}

function read(text: string): LoadedFlagFile {
  const file = readJsonFile(text, 'GrowthBook');
  const empty = (problems: FlagFileProblem[]): LoadedFlagFile => ({ system: 'growthbook', flags: [], problems, evaluate: () => undefined });
  if (file.value === undefined) return empty(file.problems);
  const parsed = payloadSchema.safeParse(file.value);
  if (!parsed.success) return empty(schemaProblems(parsed.error, file, 'GrowthBook'));
  const payload = parsed.data;
  const problems: FlagFileProblem[] = [];
  if (payload.encryptedFeatures !== undefined) problems.push(unsupported(file, '/encryptedFeatures', 'GrowthBook: encrypted features cannot be read without the decryption key; export the payload unencrypted'));
  if (payload.encryptedSavedGroups !== undefined) problems.push(unsupported(file, '/encryptedSavedGroups', 'GrowthBook: encrypted saved groups cannot be read without the decryption key; export the payload unencrypted'));
  const features = payload.features ?? {};
  const groups = payload.savedGroups ?? {};
  const featureKeys = new Set(Object.keys(features));

  const flags: FlagDefinition[] = Object.entries(features).map(([key, feature]) => {
    const attributes = new Set<string>();
    for (const rule of feature.rules ?? []) ruleAttributes(rule, groups, attributes);
    const pointer = `/features/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    return { key, location: file.locate(pointer), attributes: [...attributes], prerequisites: (feature.rules ?? []).flatMap((rule) => (rule.parentConditions ?? []).map((p) => p.id)), problems: flagProblems(file, key, feature, featureKeys) };
  });
  const byKey = new Map(flags.map((flag) => [flag.key, flag]));
  const undecidableFrom = (key: string, seen: Set<string> = new Set()): boolean => {
    if (seen.has(key)) return false;
    seen.add(key);
    const flag = byKey.get(key);
    if (!flag) return false;
    if (flag.problems.some((p) => p.kind === 'unsupported')) return true;
    return (features[key]?.rules ?? []).some((rule) => (rule.parentConditions ?? []).some((p) => undecidableFrom(p.id, seen)));
  };
  const undecidableFlags = new Map<string, boolean>();
  const undecidable = (key: string): boolean => {
    let known = undecidableFlags.get(key);
    if (known === undefined) {
      known = undecidableFrom(key);
      undecidableFlags.set(key, known);
    }
    return known;
  };
  // What a decision says of its rule, the same on every row the rule decides.
  const described = new Map<string, Map<string | number, { rule: string; location: FlagFileLocation }>>();
  const describe = (flagKey: string, result: Result): { rule: string; location: FlagFileLocation } => {
    let ofFlag = described.get(flagKey);
    if (!ofFlag) described.set(flagKey, (ofFlag = new Map()));
    // A rule either forces or runs an experiment; a prerequisite that stops at it is told apart.
    const id = result.rule === undefined ? result.source : result.source === 'prerequisite' ? -1 - result.rule : result.rule;
    let known = ofFlag.get(id);
    if (!known) {
      const rules = features[flagKey]?.rules ?? [];
      const rule = result.rule === undefined ? undefined : rules[result.rule];
      const pointer = `/features/${flagKey.replace(/~/g, '~0').replace(/\//g, '~1')}`;
      const text = result.source === 'defaultValue' ? 'default' : result.source === 'cyclicPrerequisite' ? 'cyclic prerequisite' : rule ? describeRule(rule, result.rule!) : result.source;
      known = {
        rule: result.source === 'prerequisite' ? `${text} (prerequisite not met)` : text,
        location: file.locate(result.rule === undefined ? `${pointer}/defaultValue` : `${pointer}/rules/${result.rule}`),
      };
      ofFlag.set(id, known);
    }
    return known;
  };

  const evaluate = (flagKey: string, ctx: FlagContext): FlagDecision | undefined => {
    const flag = byKey.get(flagKey);
    if (!flag || undecidable(flagKey) || payload.encryptedSavedGroups !== undefined) return undefined;
    try {
      const result = evaluateFeature(features, groups, ctx, flagKey, NO_STACK);
      const { rule, location } = describe(flagKey, result);
      const decision: FlagDecision = { on: !!result.value, rule, location };
      const variation = variationName(result.value);
      if (variation !== undefined) decision.variation = variation;
      return decision;
    } catch {
      return undefined;
    }
  };
  return { system: 'growthbook', flags, problems: [...file.problems, ...problems], evaluate };
}

export const growthbook: FlagSystem = { name: 'growthbook', title: 'GrowthBook', identityAttribute: 'id', read };
