/**
 * Unleash: the client API response (`features`, `segments`) read and
 * evaluated as `unleash-client` 6.12 does: strategies in order (the first
 * enabled one wins), constraints and segments (all must hold), inverted
 * operators (which also match missing values), case-insensitive string
 * operators, RE2 regular expressions, node-semver, numbers through `Number`,
 * date operators on `currentTime`, flexibleRollout with groupId and
 * stickiness (murmur3 of `groupId:id`, whole percents), strategy and feature
 * variants, and parent dependencies.
 */
import { RE2JS } from 're2js';
import semver from 'semver';
import { z } from 'zod';
import { hasNonAscii, murmur3Unleash } from '../hash.js';
import type { FlagContext, FlagDecision, FlagDefinition, FlagFileProblem, FlagSystem, LoadedFlagFile } from '../system.js';
import { readJsonFile, schemaProblems, unsupported, type JsonFile } from './json-file.js';

const constraintSchema = z.looseObject({
  contextName: z.string(),
  operator: z.string(),
  values: z.array(z.string()).optional(),
  value: z.string().optional(),
  inverted: z.boolean().optional(),
  caseInsensitive: z.boolean().optional(),
});

const variantSchema = z.looseObject({
  name: z.string(),
  weight: z.number(),
  stickiness: z.string().optional(),
  overrides: z.array(z.looseObject({ contextName: z.string(), values: z.array(z.string()) })).optional(),
});

const strategySchema = z.looseObject({
  name: z.string(),
  parameters: z.record(z.string(), z.unknown()).nullish(),
  constraints: z.array(constraintSchema).nullish(),
  segments: z.array(z.number()).nullish(),
  variants: z.array(variantSchema).nullish(),
});

const featureSchema = z.looseObject({
  name: z.string(),
  enabled: z.boolean(),
  strategies: z.array(strategySchema), // the SDK's repository refuses the file without it
  variants: z.array(variantSchema).nullish(),
  dependencies: z.array(z.looseObject({ feature: z.string(), enabled: z.boolean().optional(), variants: z.array(z.string()).nullish() })).nullish(),
});

const responseSchema = z.looseObject({
  features: z.array(featureSchema),
  segments: z.array(z.looseObject({ id: z.number(), name: z.string().optional(), constraints: z.array(constraintSchema) })).nullish(),
});

type Constraint = z.infer<typeof constraintSchema>;
type Variant = z.infer<typeof variantSchema>;
type Strategy = z.infer<typeof strategySchema>;
type Feature = z.infer<typeof featureSchema>;

/** A decision that depends on `Math.random()` in the SDK. */
class Random extends Error {}

const builtInStrategies = new Set(['default', 'flexibleRollout', 'userWithId', 'gradualRolloutUserId', 'gradualRolloutSessionId']);
const unsupportedStrategies: Readonly<Record<string, string>> = {
  gradualRolloutRandom: 'picks at random on every call',
  remoteAddress: 'matches IP addresses, which Segspec does not evaluate yet',
  applicationHostname: "depends on the application's host name",
};
const knownOperators = new Set([
  'IN', 'NOT_IN', 'STR_ENDS_WITH', 'STR_STARTS_WITH', 'STR_CONTAINS', 'NUM_EQ', 'NUM_GT', 'NUM_GTE', 'NUM_LT', 'NUM_LTE',
  'DATE_AFTER', 'DATE_BEFORE', 'SEMVER_EQ', 'SEMVER_GT', 'SEMVER_LT', 'SEMVER_GTE', 'SEMVER_LTE', 'REGEX', 'IN_CIDR',
]);

function resolve(ctx: FlagContext, field: string): string | undefined {
  const value = ctx[field];
  return value !== undefined && value !== null ? String(value) : undefined;
}

const cleanValues = (values: readonly string[] | undefined): string[] => (values ?? []).filter((v) => !!v).map((v) => v.trim());

const regexCache = new Map<string, RE2JS>();
function regexMatches(source: string, insensitive: boolean, text: string): boolean {
  const key = `${insensitive ? '1' : '0'}:${source}`;
  try {
    let regex = regexCache.get(key);
    if (!regex) {
      regex = RE2JS.compile(source, insensitive ? RE2JS.CASE_INSENSITIVE : undefined);
      regexCache.set(key, regex);
    }
    return regex.matcher(text).find();
  } catch {
    return false;
  }
}

function semverHolds(operator: string, actual: string, expected: string | undefined): boolean {
  try {
    if (!(semver.valid(actual) && !actual.startsWith('v'))) return false;
    const wanted = expected as string;
    if (operator === 'SEMVER_EQ') return semver.eq(actual, wanted);
    if (operator === 'SEMVER_LT') return semver.lt(actual, wanted);
    if (operator === 'SEMVER_GT') return semver.gt(actual, wanted);
    if (operator === 'SEMVER_LTE') return semver.lte(actual, wanted);
    if (operator === 'SEMVER_GTE') return semver.gte(actual, wanted);
  } catch {
    return false;
  }
  return false;
}

function operatorHolds(c: Constraint, ctx: FlagContext, now: () => Date): boolean {
  const op = c.operator;
  switch (op) {
    case 'IN':
    case 'NOT_IN': {
      const actual = resolve(ctx, c.contextName);
      const isIn = cleanValues(c.values).some((v) => v === actual);
      return op === 'IN' ? isIn : !isIn;
    }
    case 'STR_STARTS_WITH':
    case 'STR_ENDS_WITH':
    case 'STR_CONTAINS': {
      let values = cleanValues(c.values);
      let actual = resolve(ctx, c.contextName);
      if (c.caseInsensitive) {
        values = values.map((v) => v.toLocaleLowerCase());
        actual = actual?.toLocaleLowerCase();
      }
      if (typeof actual !== 'string') return false;
      const text = actual;
      if (op === 'STR_STARTS_WITH') return values.some((v) => text.startsWith(v));
      if (op === 'STR_ENDS_WITH') return values.some((v) => text.endsWith(v));
      return values.some((v) => text.includes(v));
    }
    case 'REGEX': {
      const actual = resolve(ctx, c.contextName);
      return typeof actual === 'string' && regexMatches(c.value as string, !!c.caseInsensitive, actual);
    }
    case 'SEMVER_EQ':
    case 'SEMVER_GT':
    case 'SEMVER_LT':
    case 'SEMVER_GTE':
    case 'SEMVER_LTE': {
      const actual = resolve(ctx, c.contextName);
      return !!actual && semverHolds(op, actual, c.value);
    }
    case 'DATE_AFTER':
    case 'DATE_BEFORE': {
      const value = new Date(c.value as string);
      const current = ctx.currentTime ? new Date(ctx.currentTime as string) : now();
      return op === 'DATE_AFTER' ? current > value : current < value;
    }
    case 'NUM_EQ':
    case 'NUM_GT':
    case 'NUM_GTE':
    case 'NUM_LT':
    case 'NUM_LTE': {
      const value = Number(c.value);
      const actual = Number(resolve(ctx, c.contextName));
      if (Number.isNaN(value) || Number.isNaN(actual)) return false;
      if (op === 'NUM_EQ') return actual === value;
      if (op === 'NUM_GT') return actual > value;
      if (op === 'NUM_GTE') return actual >= value;
      if (op === 'NUM_LT') return actual < value;
      return actual <= value;
    }
    default:
      return false;
  }
}

/** What a constraint's operator gives for a context, before `inverted` (the importer asks it about each value a boolean can take). */
export function unleashOperatorHolds(c: Constraint, ctx: FlagContext): boolean {
  return knownOperators.has(c.operator) && operatorHolds(c, ctx, () => new Date());
}

export type UnleashConstraint = Constraint;

function constraintHolds(c: Constraint | undefined, ctx: FlagContext, now: () => Date): boolean {
  if (!c || !knownOperators.has(c.operator)) return false;
  return c.inverted ? !operatorHolds(c, ctx, now) : operatorHolds(c, ctx, now);
}

function normalized(id: string, groupId: string, normalizer: number, seed: number): number {
  return (murmur3Unleash(`${groupId}:${id}`, seed) % normalizer) + 1;
}

function strategyEnabled(s: Strategy, ctx: FlagContext): boolean {
  const p = s.parameters ?? {};
  switch (s.name) {
    case 'default':
      return true;
    case 'userWithId': {
      const list = p.userIds ? String(p.userIds).split(/\s*,\s*/) : [];
      return ctx.userId !== undefined && list.includes(ctx.userId as string);
    }
    case 'gradualRolloutUserId':
    case 'gradualRolloutSessionId': {
      const id = s.name === 'gradualRolloutUserId' ? ctx.userId : ctx.sessionId;
      if (!id) return false;
      const percentage = Number(p.percentage);
      return percentage > 0 && normalized(String(id), p.groupId ? String(p.groupId) : '', 100, 0) <= percentage;
    }
    case 'flexibleRollout': {
      const groupId = p.groupId ? String(p.groupId) : '';
      const percentage = Number(p.rollout);
      const stickiness = p.stickiness ? String(p.stickiness) : 'default';
      let id: unknown;
      if (stickiness === 'default') id = ctx.userId || ctx.sessionId || randomPick();
      else if (stickiness === 'random') id = randomPick();
      else id = resolve(ctx, stickiness);
      if (!id) return false;
      return percentage > 0 && normalized(String(id), groupId, 100, 0) <= percentage;
    }
    default:
      return false;
  }
}

function randomPick(): never {
  throw new Random();
}

const VARIANT_SEED = 86028157;
const stickinessSelectors = ['userId', 'sessionId', 'remoteAddress'];

function variantSeed(ctx: FlagContext, stickiness = 'default'): string {
  if (stickiness !== 'default') {
    const value = resolve(ctx, stickiness);
    return value ? value : randomPick();
  }
  for (const key of stickinessSelectors) {
    const value = ctx[key];
    if (typeof value === 'string' && value !== '') return value;
  }
  return randomPick();
}

function selectVariant(groupId: string, stickiness: string | undefined, variants: readonly Variant[], ctx: FlagContext): Variant | null {
  const totalWeight = variants.reduce((sum, v) => sum + v.weight, 0);
  if (totalWeight <= 0) return null;
  const override = variants.find((v) => v.overrides?.some((o) => o.values.some((value) => value === resolve(ctx, o.contextName))));
  if (override) return override;
  const target = normalized(variantSeed(ctx, stickiness), groupId, totalWeight, VARIANT_SEED);
  let counter = 0;
  return (
    variants.find((v) => {
      if (v.weight === 0) return false;
      counter += v.weight;
      return counter >= target;
    }) ?? null
  );
}

interface Outcome {
  enabled: boolean;
  variant?: string;
  strategy?: number;
}

class Evaluator {
  constructor(
    private readonly features: ReadonlyMap<string, Feature>,
    private readonly segments: ReadonlyMap<number, readonly Constraint[]>,
    private readonly now: () => Date,
  ) {}

  private constraintsOf(s: Strategy): Array<Constraint | undefined> {
    const all: Array<Constraint | undefined> = [...(s.constraints ?? [])];
    for (const id of s.segments ?? []) {
      const segment = this.segments.get(id);
      if (segment) all.push(...segment);
      else all.push(undefined);
    }
    return all;
  }

  private parentsSatisfied(feature: Feature, ctx: FlagContext): boolean {
    return (feature.dependencies ?? []).every((parent) => {
      const toggle = this.features.get(parent.feature);
      if (!toggle || toggle.dependencies?.length) return false;
      if (parent.enabled !== false) {
        if (parent.variants?.length) {
          const outcome = this.variant(toggle, ctx);
          return outcome.enabled && parent.variants.includes(outcome.variant ?? 'disabled');
        }
        return this.enabled(toggle, ctx).enabled;
      }
      return !this.enabled(toggle, ctx).enabled;
    });
  }

  enabled(feature: Feature, ctx: FlagContext): Outcome {
    if (!this.parentsSatisfied(feature, ctx) || !feature.enabled) return { enabled: false };
    const strategies = feature.strategies;
    if (strategies.length === 0) return { enabled: feature.enabled };
    for (let index = 0; index < strategies.length; index++) {
      const s = strategies[index]!;
      if (!builtInStrategies.has(s.name)) continue;
      const constraintsHold = this.constraintsOf(s).every((c) => constraintHolds(c, ctx, this.now));
      if (!constraintsHold || !strategyEnabled(s, ctx)) continue;
      if (s.variants && s.variants.length > 0) {
        const stickiness = s.variants[0]!.stickiness || (s.parameters?.stickiness as string | undefined);
        const chosen = selectVariant(s.parameters?.groupId as string, stickiness, s.variants, ctx);
        return chosen ? { enabled: true, variant: chosen.name, strategy: index } : { enabled: true, strategy: index };
      }
      return { enabled: true, strategy: index };
    }
    return { enabled: false };
  }

  variant(feature: Feature, ctx: FlagContext): Outcome {
    const result = this.enabled(feature, ctx);
    if (!result.enabled || result.variant) return result;
    if (!feature.variants || feature.variants.length === 0) return result;
    const chosen = selectVariant(feature.name, feature.variants[0]?.stickiness, feature.variants, ctx);
    return chosen ? { ...result, variant: chosen.name } : result;
  }
}

function escapePointer(part: string | number): string {
  return String(part).replace(/~/g, '~0').replace(/\//g, '~1');
}

function featureProblems(file: JsonFile, feature: Feature, index: number, segmentIds: ReadonlySet<number>): FlagFileProblem[] {
  const problems: FlagFileProblem[] = [];
  const base = `/features/${index}`;
  (feature.strategies ?? []).forEach((s, si) => {
    const at = `${base}/strategies/${si}`;
    const why = unsupportedStrategies[s.name];
    if (why) problems.push(unsupported(file, `${at}/name`, `Unleash: strategy \`${s.name}\` ${why}`));
    else if (!builtInStrategies.has(s.name)) problems.push(unsupported(file, `${at}/name`, `Unleash: custom strategy \`${s.name}\` is code in the application, which Segspec cannot evaluate`));
    if (s.name === 'flexibleRollout' && s.parameters?.stickiness === 'random') problems.push(unsupported(file, `${at}/parameters/stickiness`, 'Unleash: flexibleRollout with `random` stickiness picks at random on every call'));
    (s.constraints ?? []).forEach((c, ci) => {
      if (c.operator === 'IN_CIDR') problems.push(unsupported(file, `${at}/constraints/${ci}/operator`, 'Unleash: constraint operator `IN_CIDR` (IP ranges) is not evaluated by Segspec yet'));
    });
    for (const id of s.segments ?? []) {
      if (!segmentIds.has(id)) problems.push({ kind: 'invalid', ...file.locate(`${at}/segments`), message: `Unleash: segment ${id} is not in the file's \`segments\` (the SDK then enables nobody through this strategy)` });
    }
  });
  return problems;
}

function featureAttributes(feature: Feature, segments: ReadonlyMap<number, readonly Constraint[]>): string[] {
  const into = new Set<string>();
  for (const s of feature.strategies ?? []) {
    for (const c of s.constraints ?? []) into.add(c.operator.startsWith('DATE_') ? 'currentTime' : c.contextName);
    for (const id of s.segments ?? []) for (const c of segments.get(id) ?? []) into.add(c.operator.startsWith('DATE_') ? 'currentTime' : c.contextName);
    const stickiness = s.parameters?.stickiness ? String(s.parameters.stickiness) : 'default';
    if (s.name === 'flexibleRollout') {
      if (stickiness === 'default') into.add('userId').add('sessionId');
      else if (stickiness !== 'random') into.add(stickiness);
    }
    if (s.name === 'userWithId' || s.name === 'gradualRolloutUserId') into.add('userId');
    if (s.name === 'gradualRolloutSessionId') into.add('sessionId');
  }
  return [...into];
}

function read(text: string, now: () => Date = () => new Date()): LoadedFlagFile {
  const file = readJsonFile(text, 'Unleash');
  const empty = (problems: FlagFileProblem[]): LoadedFlagFile => ({ system: 'unleash', flags: [], problems, evaluate: () => undefined });
  if (file.value === undefined) return empty(file.problems);
  const parsed = responseSchema.safeParse(file.value);
  if (!parsed.success) return empty(schemaProblems(parsed.error, file, 'Unleash'));
  const response = parsed.data;
  const segments = new Map((response.segments ?? []).map((s) => [s.id, s.constraints]));
  const features = new Map(response.features.map((f) => [f.name, f]));
  const indexOf = new Map(response.features.map((f, i) => [f.name, i]));
  const segmentIds = new Set(segments.keys());
  const flags: FlagDefinition[] = response.features.map((feature, index) => ({
    key: feature.name,
    location: file.locate(`/features/${index}`),
    attributes: featureAttributes(feature, segments),
    prerequisites: (feature.dependencies ?? []).map((d) => d.feature),
    problems: featureProblems(file, feature, index, segmentIds),
  }));
  const byKey = new Map(flags.map((f) => [f.key, f]));
  const undecidable = (key: string, seen: Set<string> = new Set()): boolean => {
    if (seen.has(key)) return false;
    seen.add(key);
    if (byKey.get(key)?.problems.some((p) => p.kind === 'unsupported')) return true;
    return (features.get(key)?.dependencies ?? []).some((d) => undecidable(d.feature, seen));
  };
  const evaluator = new Evaluator(features, segments, now);

  const evaluate = (flagKey: string, ctx: FlagContext): FlagDecision | undefined => {
    const feature = features.get(flagKey);
    if (!feature || undecidable(flagKey)) return undefined;
    try {
      const outcome = evaluator.variant(feature, ctx);
      const at = `/features/${indexOf.get(flagKey)}`;
      const strategy = outcome.strategy === undefined ? undefined : feature.strategies?.[outcome.strategy];
      const rule = !feature.enabled
        ? 'disabled'
        : strategy
          ? `strategy ${outcome.strategy! + 1}: ${strategy.name}${strategy.name === 'flexibleRollout' ? ` ${String(strategy.parameters?.rollout)}%` : ''}`
          : outcome.enabled
            ? 'enabled, no strategies'
            : 'no strategy matched';
      const decision: FlagDecision = {
        on: outcome.enabled,
        rule,
        location: file.locate(outcome.strategy === undefined ? at : `${at}/strategies/${escapePointer(outcome.strategy)}`),
      };
      if (outcome.variant !== undefined) decision.variation = outcome.variant;
      return decision;
    } catch (error) {
      if (error instanceof Random) return undefined;
      return undefined;
    }
  };
  return { system: 'unleash', flags, problems: file.problems, evaluate };
}

/**
 * What the findings say about a bucketing key with characters outside ASCII:
 * the Node SDK hashes the low byte of each UTF-16 unit, other Unleash SDKs
 * hash UTF-8 bytes, so such users may land in other buckets there.
 */
export function unleashHashNote(key: string): string | undefined {
  if (!hasNonAscii(key)) return undefined;
  return `Unleash: the key \`${key}\` has characters outside ASCII; Segspec buckets it as the Node SDK (unleash-client) does, hashing the low byte of each UTF-16 unit; SDKs that hash UTF-8 bytes may bucket it differently`;
}

export const unleash: FlagSystem = { name: 'unleash', title: 'Unleash', identityAttribute: 'userId', read: (text) => read(text) };
