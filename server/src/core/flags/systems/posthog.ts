/**
 * PostHog: the local-evaluation response (`flags`, `cohorts`,
 * `group_type_mapping`) read and evaluated as posthog-node 5.74 does with
 * `onlyEvaluateLocally`: a flag the SDK cannot decide locally (a missing
 * property, a static cohort, experience continuity, a regex the flags
 * service reads differently) is undecided (`evaluate` returns undefined),
 * condition groups in order, rollout percentages and variants bucketed by
 * SHA-1 of `flagKey.distinct_id` over 15 hex digits, holdouts, cohorts with
 * AND/OR and negation, flag dependencies.
 */
import { z } from 'zod';
import { sha1Scale15 } from '../hash.js';
import type { FlagContext, FlagDecision, FlagDefinition, FlagFileProblem, FlagSystem, LoadedFlagFile } from '../system.js';
import { readJsonFile, schemaProblems, unsupported } from './json-file.js';
import { assertFilterSupported, Inconclusive, matchProperty, pickReason, RequiresServer, type InconclusiveReason, type PropertyFilter } from './posthog-property.js';

const propertySchema = z.looseObject({ key: z.string(), value: z.unknown().optional(), operator: z.string().nullable().optional(), type: z.string().optional(), negation: z.boolean().optional() });

const conditionSchema = z.looseObject({
  properties: z.array(propertySchema).nullable().optional(),
  rollout_percentage: z.number().nullable().optional(),
  variant: z.string().nullable().optional(),
  aggregation_group_type_index: z.number().nullable().optional(),
});

const flagSchema = z.looseObject({
  id: z.number().optional(),
  key: z.string(),
  active: z.boolean(),
  ensure_experience_continuity: z.boolean().nullable().optional(),
  bucketing_identifier: z.string().nullable().optional(),
  filters: z
    .looseObject({
      groups: z.array(conditionSchema).optional(),
      multivariate: z.looseObject({ variants: z.array(z.looseObject({ key: z.string(), rollout_percentage: z.number() })) }).nullable().optional(),
      aggregation_group_type_index: z.number().nullable().optional(),
      holdout: z.looseObject({ id: z.unknown().optional(), exclusion_percentage: z.unknown().optional() }).nullable().optional(),
      early_exit: z.boolean().optional(),
    })
    .optional(),
});

const responseSchema = z.looseObject({
  flags: z.array(flagSchema),
  group_type_mapping: z.record(z.string(), z.string()).optional(),
  cohorts: z.record(z.string(), z.unknown()).optional(),
  property_matching_version: z.unknown().optional(),
});

type Flag = z.infer<typeof flagSchema>;
type Condition = z.infer<typeof conditionSchema>;
type FlagValue = boolean | string;

interface Definitions {
  flagsByKey: Readonly<Record<string, Flag>>;
  groupTypeMapping: Readonly<Record<string, string>>;
  cohorts: Readonly<Record<string, unknown>>;
  matchingVersion: unknown;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const flagHash = (key: string, bucketing: unknown, salt = '', separator = '.'): number => sha1Scale15(`${key}${separator}${String(bucketing)}${salt}`);

function holdoutVariant(holdout: unknown, bucketing: unknown): string | undefined {
  if (!isRecord(holdout) || holdout.id == null || holdout.exclusion_percentage == null) return undefined;
  const raw = Number(holdout.exclusion_percentage);
  if (!Number.isFinite(raw)) return undefined;
  const percentage = Math.min(Math.max(raw, 0), 100);
  if (percentage !== 100 && flagHash('holdout', bucketing, '', '-') > percentage / 100) return undefined;
  return `holdout-${String(holdout.id)}`;
}

function matchingVariant(flag: Flag, bucketing: unknown): string | undefined {
  const variants = flag.filters?.multivariate?.variants ?? [];
  const n = flagHash(flag.key, bucketing, 'variant');
  let min = 0;
  for (const v of variants) {
    const max = min + v.rollout_percentage / 100;
    if (n >= min && n < max) return v.key;
    min = max;
  }
  return undefined;
}

class Evaluation {
  private readonly cache: Record<string, FlagValue | undefined> = {};

  constructor(
    private readonly defs: Definitions,
    private readonly properties: Readonly<Record<string, unknown>>,
    private readonly distinctId: unknown,
    private readonly now: Date,
  ) {}

  private matchCohort(property: PropertyFilter): boolean {
    const id = String(property.value);
    if (!(id in this.defs.cohorts)) throw new RequiresServer(`cohort ${id} not found in local cohorts - likely a static cohort that requires server evaluation`);
    const inCohort = this.matchGroup(this.defs.cohorts[id]);
    return property.operator === 'not_in' ? !inCohort : inCohort;
  }

  private matchGroup(group: unknown): boolean {
    if (!isRecord(group) || Object.keys(group).length === 0) return true;
    const type = group.type === 'property' ? 'AND' : group.type;
    if (type !== 'AND' && type !== 'OR') throw new RequiresServer(`Unsupported cohort property group type: ${String(group.type)}`);
    const values = group.values as unknown[] | undefined;
    if (!values || values.length === 0) return type === 'AND';
    let reason: InconclusiveReason | undefined;
    let regex = false;
    const nested = isRecord(values[0]) && 'values' in values[0];
    for (const item of values) {
      try {
        if (nested) {
          const matches = this.matchGroup(item);
          if (type === 'AND') {
            if (!matches) return false;
          } else if (matches) return true;
          continue;
        }
        const prop = item as PropertyFilter;
        let matches: boolean;
        if (prop.type === 'cohort') matches = this.matchCohort(prop);
        else if (prop.type === 'flag') matches = this.flagDependency(prop);
        else matches = matchProperty(prop, this.properties, this.defs.matchingVersion, this.now);
        const negation = prop.negation || false;
        if (type === 'AND') {
          if (!matches && !negation) return false;
          if (matches && negation) return false;
        } else {
          if (matches && !negation) return true;
          if (!matches && negation) return true;
        }
      } catch (err) {
        if (err instanceof RequiresServer) throw err;
        if (!(err instanceof Inconclusive)) throw err;
        reason = pickReason(reason, err.reason);
        if (err.regex) regex = true;
      }
    }
    if (reason) throw new Inconclusive("Can't match cohort without a given cohort property value", reason, regex);
    return type === 'AND';
  }

  private flagDependency(property: PropertyFilter): boolean {
    const target = property.key;
    if (!('dependency_chain' in property)) throw new Inconclusive(`Flag dependency property for '${target}' is missing required 'dependency_chain' field`);
    const chain = property.dependency_chain;
    if (!Array.isArray(chain)) throw new Inconclusive(`Flag dependency property for '${target}' has an invalid 'dependency_chain'`);
    if (chain.length === 0) throw new Inconclusive(`Circular dependency detected for flag '${target}' (empty dependency chain)`);
    const missing = chain.find((key) => !(key in this.cache) && !this.defs.flagsByKey[key as string]);
    if (missing !== undefined) throw new Inconclusive(`Missing flag dependency '${String(missing)}' for flag '${target}'`);
    for (const key of chain as string[]) {
      if (!(key in this.cache)) {
        const dep = this.defs.flagsByKey[key];
        if (dep?.active) {
          try {
            this.cache[key] = this.flagValue(dep);
          } catch (error) {
            if (error instanceof RequiresServer) throw new RequiresServer(`Flag dependency '${key}' requires server evaluation`, 'unresolved_dependency');
            throw new Inconclusive(`Error evaluating flag dependency '${key}'`, 'unresolved_dependency', error instanceof Inconclusive && error.regex);
          }
        } else this.cache[key] = false;
      }
      if (this.cache[key] == null) throw new Inconclusive(`Dependency '${key}' could not be evaluated`, 'unresolved_dependency');
    }
    const value = this.cache[target];
    const expected = property.value;
    if (typeof expected === 'boolean') return expected === value || (typeof value === 'string' && value !== '' && expected === true);
    if (typeof expected === 'string') return value === expected;
    return false;
  }

  private conditionMatch(flag: Flag, bucketing: unknown, condition: Condition, properties: Readonly<Record<string, unknown>>): 'match' | 'no_match' | 'out_of_rollout_bound' {
    const rollout = condition.rollout_percentage;
    const props = condition.properties ?? [];
    if (props.length > 0) {
      let reason: InconclusiveReason | undefined;
      let regex = false;
      let serverError: RequiresServer | undefined;
      for (const raw of props) {
        const prop = { ...raw, operator: raw.operator ?? undefined } as PropertyFilter;
        let matches = false;
        try {
          if (prop.type === 'cohort') matches = this.matchCohort(prop);
          else if (prop.type === 'flag') matches = this.flagDependency(prop);
          else if (Object.prototype.hasOwnProperty.call(properties, prop.key)) matches = matchProperty(prop, properties, this.defs.matchingVersion, this.now);
          else {
            assertFilterSupported(prop, this.now);
            reason = pickReason(reason, 'missing_context');
            continue;
          }
        } catch (e) {
          if (e instanceof RequiresServer) {
            if (reason === undefined) serverError ??= e;
            reason = pickReason(reason, e.reason);
            continue;
          }
          if (e instanceof Inconclusive) {
            if (e.regex) regex = true;
            reason = pickReason(reason, e.reason);
            continue;
          }
          if (reason !== undefined) break;
          throw e;
        }
        if (!matches) return 'no_match';
      }
      if (serverError) throw serverError;
      if (reason) throw new Inconclusive(`Can't determine if a condition of flag ${flag.key} matches`, reason, regex);
      if (rollout == null) return 'match';
    }
    if (rollout != null && flagHash(flag.key, bucketing) > rollout / 100) return 'out_of_rollout_bound';
    return 'match';
  }

  private matchFlag(flag: Flag, bucketing: unknown, properties: Readonly<Record<string, unknown>>): { value: FlagValue; condition?: number } {
    const filters = flag.filters ?? {};
    const holdout = holdoutVariant(filters.holdout, bucketing);
    if (holdout !== undefined) return { value: holdout };
    const conditions = filters.groups ?? [];
    const aggregation = filters.aggregation_group_type_index;
    const earlyExit = filters.early_exit ?? false;
    let reason: InconclusiveReason | undefined;
    let regexError = false;
    const deferred = new Set<FlagValue>();
    let result: { value: FlagValue; condition: number } | undefined;
    const variants = filters.multivariate?.variants ?? [];
    const served = (condition: Condition): FlagValue => {
      const override = condition.variant;
      return override && variants.some((v) => v.key === override) ? override : matchingVariant(flag, bucketing) || true;
    };
    for (let index = 0; index < conditions.length; index++) {
      const condition = conditions[index]!;
      try {
        const conditionAggregation = condition.aggregation_group_type_index !== undefined ? condition.aggregation_group_type_index : aggregation;
        if (conditionAggregation !== aggregation && conditionAggregation != null) {
          // group conditions need groups, which a person's row does not have
          continue;
        }
        const match = this.conditionMatch(flag, bucketing, condition, properties);
        if (match === 'match') {
          result = { value: served(condition), condition: index };
          break;
        }
        if (earlyExit && match === 'out_of_rollout_bound') {
          if (reason) break;
          return { value: false, condition: index };
        }
      } catch (e) {
        if (e instanceof RequiresServer) throw e;
        if (!(e instanceof Inconclusive)) throw e;
        reason = pickReason(reason, e.reason);
        if (e.regex) {
          regexError = true;
          if (earlyExit && condition.rollout_percentage != null && flagHash(flag.key, bucketing) > condition.rollout_percentage / 100) deferred.add(false);
          else deferred.add(served(condition));
        }
      }
    }
    if (result !== undefined && !(regexError && [...deferred].some((v) => v !== result!.value))) return result;
    if (reason) throw new Inconclusive("Can't determine if feature flag is enabled or not with given properties", reason, regexError);
    return { value: false };
  }

  flagValue(flag: Flag): FlagValue {
    return this.flagDecision(flag).value;
  }

  flagDecision(flag: Flag): { value: FlagValue; condition?: number } {
    if (!flag.active) return { value: false };
    if (flag.ensure_experience_continuity) throw new Inconclusive('Flag has experience continuity enabled', 'experience_continuity');
    const aggregation = flag.filters?.aggregation_group_type_index;
    if (aggregation != null) {
      if (!this.defs.groupTypeMapping[String(aggregation)]) throw new Inconclusive('Flag has unknown group type index');
      return { value: false }; // a group flag without the group: the SDK answers false
    }
    let bucketing: unknown = this.distinctId;
    if (flag.bucketing_identifier === 'device_id') {
      const device = this.properties.$device_id;
      if (device == null || device === '') throw new Inconclusive(`Can't compute feature flag: ${flag.key} without $device_id`, 'missing_context');
      bucketing = device;
    }
    return this.matchFlag(flag, bucketing, this.properties);
  }
}

function escape(part: string): string {
  return part.replace(/~/g, '~0').replace(/\//g, '~1');
}

function definitionProblems(flag: Flag, index: number, defs: Definitions, locate: (pointer: string) => FlagFileProblem): FlagFileProblem[] {
  const problems: FlagFileProblem[] = [];
  const at = `/flags/${index}`;
  if (flag.ensure_experience_continuity) problems.push(locate(`${at}/ensure_experience_continuity`));
  const cohortIds = new Set<string>();
  const visit = (prop: PropertyFilter, pointer: string): void => {
    if (prop.type !== 'cohort') return;
    const id = String(prop.value);
    if (cohortIds.has(id)) return;
    cohortIds.add(id);
    if (!(id in defs.cohorts)) problems.push({ ...locate(pointer), message: `PostHog: cohort ${id} is not in the file's \`cohorts\` (a static cohort): the SDK cannot evaluate it locally` });
    const walk = (group: unknown): void => {
      if (!isRecord(group)) return;
      for (const value of (group.values as unknown[] | undefined) ?? []) {
        if (isRecord(value) && 'values' in value) walk(value);
        else if (isRecord(value)) visit(value as unknown as PropertyFilter, pointer);
      }
    };
    walk(defs.cohorts[id]);
  };
  (flag.filters?.groups ?? []).forEach((condition, ci) => (condition.properties ?? []).forEach((prop, pi) => visit(prop as PropertyFilter, `${at}/filters/groups/${ci}/properties/${pi}`)));
  return problems;
}

/** The properties a flag reads (through cohorts too) and the flags it depends on. */
function readsOf(flag: Flag, defs: Definitions): { attributes: string[]; prerequisites: string[] } {
  const into = new Set<string>();
  const flags = new Set<string>();
  const seen = new Set<string>();
  const visit = (prop: PropertyFilter): void => {
    if (prop.type === 'cohort') {
      const id = String(prop.value);
      if (seen.has(id)) return;
      seen.add(id);
      const walk = (group: unknown): void => {
        if (!isRecord(group)) return;
        for (const value of (group.values as unknown[] | undefined) ?? []) {
          if (isRecord(value) && 'values' in value) walk(value);
          else if (isRecord(value)) visit(value as unknown as PropertyFilter);
        }
      };
      walk(defs.cohorts[id]);
    } else if (prop.type === 'flag') {
      flags.add(prop.key);
      const chain = (prop as { dependency_chain?: unknown }).dependency_chain;
      if (Array.isArray(chain)) for (const key of chain) if (typeof key === 'string') flags.add(key);
    } else into.add(prop.key);
  };
  for (const condition of flag.filters?.groups ?? []) {
    for (const prop of condition.properties ?? []) visit(prop as PropertyFilter);
    if (condition.rollout_percentage != null && condition.rollout_percentage < 100) into.add('distinct_id');
  }
  if ((flag.filters?.multivariate?.variants.length ?? 0) > 0 || flag.filters?.holdout) into.add('distinct_id');
  if (flag.bucketing_identifier === 'device_id') into.add('$device_id');
  return { attributes: [...into], prerequisites: [...flags] };
}

function read(text: string, now: () => Date = () => new Date()): LoadedFlagFile {
  const file = readJsonFile(text, 'PostHog');
  const empty = (problems: FlagFileProblem[]): LoadedFlagFile => ({ system: 'posthog', flags: [], problems, evaluate: () => undefined });
  if (file.value === undefined) return empty(file.problems);
  const parsed = responseSchema.safeParse(file.value);
  if (!parsed.success) return empty(schemaProblems(parsed.error, file, 'PostHog'));
  const response = parsed.data;
  const defs: Definitions = {
    flagsByKey: Object.fromEntries(response.flags.map((f) => [f.key, f])),
    groupTypeMapping: response.group_type_mapping ?? {},
    cohorts: response.cohorts ?? {},
    matchingVersion: response.property_matching_version,
  };
  const indexOf = new Map(response.flags.map((f, i) => [f.key, i]));
  const flags: FlagDefinition[] = response.flags.map((flag, index) => {
    const locate = (pointer: string): FlagFileProblem =>
      unsupported(file, pointer, `PostHog: flag \`${flag.key}\` has experience continuity on, which local evaluation cannot decide`);
    return { key: flag.key, location: file.locate(`/flags/${index}`), ...readsOf(flag, defs), problems: definitionProblems(flag, index, defs, locate) };
  });
  const byKey = new Map(flags.map((f) => [f.key, f]));

  const evaluate = (flagKey: string, ctx: FlagContext): FlagDecision | undefined => {
    const flag = defs.flagsByKey[flagKey];
    if (!flag || !byKey.has(flagKey)) return undefined;
    const distinctId = ctx.distinct_id;
    if (distinctId === undefined) return undefined;
    const properties: Record<string, unknown> = { distinct_id: distinctId, ...ctx };
    try {
      const { value, condition } = new Evaluation(defs, properties, distinctId, now()).flagDecision(flag);
      const at = `/flags/${indexOf.get(flagKey)}`;
      const decision: FlagDecision = {
        on: value !== false,
        rule: !flag.active ? 'inactive' : condition === undefined ? (value === false ? 'no condition matched' : 'holdout') : `condition set ${condition + 1}`,
        location: file.locate(condition === undefined ? at : `${at}/filters/groups/${escape(String(condition))}`),
      };
      if (typeof value === 'string') decision.variation = value;
      return decision;
    } catch (e) {
      if (e instanceof Inconclusive || e instanceof RequiresServer) return undefined;
      return undefined;
    }
  };
  return { system: 'posthog', flags, problems: file.problems, evaluate };
}

export const posthog: FlagSystem = { name: 'posthog', title: 'PostHog', identityAttribute: 'distinct_id', read: (text) => read(text) };
