/**
 * LaunchDarkly: the server-side SDK data (`flags`, `segments`) read and
 * evaluated as `@launchdarkly/node-server-sdk` 9.13 does for a single `user`
 * context: off → offVariation, prerequisites, individual targets, rules in
 * order (all clauses; a missing attribute fails a clause even when negated;
 * operators typed: numbers only compare with numbers, dates are epoch
 * milliseconds or RFC 3339 date-times, semvers through node-semver with
 * missing minor/patch filled in, `matches` a JavaScript regex),
 * `segmentMatch` (included/excluded, rules with weights), fallthrough, and
 * rollouts bucketed by SHA-1 of `flagKey.salt.value` (or `seed.value`) over
 * 15 hex digits, weights of 100,000.
 */
import parseSemver from 'semver/functions/parse.js';
import type { SemVer } from 'semver';
import { z } from 'zod';
import { sha1Scale15 } from '../hash.js';
import type { FlagContext, FlagDecision, FlagDefinition, FlagFileProblem, FlagSystem, LoadedFlagFile } from '../system.js';
import { readJsonFile, schemaProblems, unsupported, type JsonFile } from './json-file.js';

const clauseSchema = z.looseObject({
  contextKind: z.string().optional(),
  attribute: z.string(),
  op: z.string(),
  values: z.array(z.unknown()),
  negate: z.boolean().optional(),
});

const rolloutSchema = z.looseObject({
  variations: z.array(z.looseObject({ variation: z.number(), weight: z.number(), untracked: z.boolean().optional() })),
  bucketBy: z.string().optional(),
  contextKind: z.string().optional(),
  seed: z.number().optional(),
  kind: z.string().optional(),
});

const variationOrRollout = z.looseObject({ variation: z.number().optional(), rollout: rolloutSchema.optional() });

const targetSchema = z.looseObject({ contextKind: z.string().optional(), values: z.array(z.string()), variation: z.number() });

const flagSchema = z.looseObject({
  key: z.string(),
  on: z.boolean(),
  prerequisites: z.array(z.looseObject({ key: z.string(), variation: z.number() })).optional(),
  targets: z.array(targetSchema).optional(),
  contextTargets: z.array(targetSchema).optional(),
  rules: z.array(variationOrRollout.extend({ id: z.string().optional(), clauses: z.array(clauseSchema).optional() })).optional(),
  fallthrough: variationOrRollout.optional(),
  offVariation: z.number().optional().nullable(),
  variations: z.array(z.unknown()),
  salt: z.string().optional(),
});

const segmentSchema = z.looseObject({
  key: z.string(),
  included: z.array(z.string()).optional(),
  excluded: z.array(z.string()).optional(),
  includedContexts: z.array(z.looseObject({ contextKind: z.string().optional(), values: z.array(z.string()) })).optional(),
  excludedContexts: z.array(z.looseObject({ contextKind: z.string().optional(), values: z.array(z.string()) })).optional(),
  rules: z
    .array(z.looseObject({ id: z.string().optional(), clauses: z.array(clauseSchema), weight: z.number().optional(), bucketBy: z.string().optional(), rolloutContextKind: z.string().optional() }))
    .optional(),
  salt: z.string().optional(),
  unbounded: z.boolean().optional(),
});

const dataSchema = z.looseObject({
  flags: z.record(z.string(), flagSchema),
  segments: z.record(z.string(), segmentSchema).optional(),
});

type Clause = z.infer<typeof clauseSchema>;
type Flag = z.infer<typeof flagSchema>;
type Segment = z.infer<typeof segmentSchema>;
type VariationOrRollout = z.infer<typeof variationOrRollout>;

/** A malformed flag: the SDK returns the application's default value. */
class Malformed extends Error {}

const USER = 'user';
const DATE_REGEX = /^\d\d\d\d-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d\d*)?(Z|[-+]\d\d(:\d\d)?)/;
const VERSION_COMPONENTS = /^\d+(\.\d+)?(\.\d+)?/;

/** A version as the SDK reads it (no leading `v`; missing minor and patch filled in), or null. */
export function semverOf(input: unknown): SemVer | null {
  if (typeof input !== 'string' || input.startsWith('v')) return null;
  const parsed = parseSemver(input);
  if (parsed) return parsed;
  const components = VERSION_COMPONENTS.exec(input);
  if (!components) return null;
  let transformed = components[0];
  for (let i = 1; i < components.length; i++) if (components[i] === undefined) transformed += '.0';
  return parseSemver(transformed + input.substring(components[0].length));
}

const isDate = (v: unknown): boolean => typeof v === 'number' || (typeof v === 'string' && DATE_REGEX.test(v));
const dateOf = (v: unknown): number => (typeof v === 'number' ? v : Date.parse(v as string));

function operatorHolds(op: string, a: unknown, b: unknown): boolean {
  const strings = typeof a === 'string' && typeof b === 'string';
  const numbers = typeof a === 'number' && typeof b === 'number';
  switch (op) {
    case 'in':
      return a === b;
    case 'endsWith':
      return strings && (a as string).endsWith(b as string);
    case 'startsWith':
      return strings && (a as string).startsWith(b as string);
    case 'contains':
      return strings && (a as string).indexOf(b as string) > -1;
    case 'matches':
      if (!strings) return false;
      try {
        return new RegExp(b as string).test(a as string);
      } catch {
        return false;
      }
    case 'lessThan':
      return numbers && (a as number) < (b as number);
    case 'lessThanOrEqual':
      return numbers && (a as number) <= (b as number);
    case 'greaterThan':
      return numbers && (a as number) > (b as number);
    case 'greaterThanOrEqual':
      return numbers && (a as number) >= (b as number);
    case 'before':
      return isDate(a) && isDate(b) && dateOf(a) < dateOf(b);
    case 'after':
      return isDate(a) && isDate(b) && dateOf(a) > dateOf(b);
    case 'semVerEqual':
    case 'semVerLessThan':
    case 'semVerGreaterThan': {
      const av = semverOf(a);
      const bv = semverOf(b);
      if (!av || !bv) return false;
      const cmp = av.compare(bv);
      return op === 'semVerEqual' ? cmp === 0 : op === 'semVerLessThan' ? cmp < 0 : cmp > 0;
    }
    default:
      return false;
  }
}

/** The value of an attribute of the user context (a legacy name, or a `/`-reference when the clause names a kind). */
function valueOf(ctx: FlagContext, attribute: string, kind: string | undefined): unknown {
  if ((kind ?? USER) !== USER) return undefined;
  let name = attribute;
  if (kind !== undefined && attribute.startsWith('/')) {
    const parts = attribute.slice(1).split('/');
    if (parts.length !== 1) return undefined;
    name = parts[0]!.replace(/~1/g, '/').replace(/~0/g, '~');
  }
  if (name === 'kind') return [USER];
  if (name === 'anonymous') return !!ctx.anonymous;
  return ctx[name];
}

function userKey(ctx: FlagContext, kind: string | undefined = USER): string | undefined {
  return kind === USER && typeof ctx.key === 'string' ? ctx.key : undefined;
}

function bucket(ctx: FlagContext, key: string, bucketBy: string | undefined, salt: string, contextKind: string | undefined, seed: number | undefined): number {
  const value = valueOf(ctx, bucketBy ?? 'key', contextKind !== undefined || bucketBy?.startsWith('/') ? contextKind ?? USER : undefined);
  const bucketable = typeof value === 'string' ? value : Number.isInteger(value) ? String(value) : null;
  if (bucketable === null || (contextKind ?? USER) !== USER) return 0;
  const prefix = seed ? String(Number(seed)) : `${key}.${salt}`;
  return sha1Scale15(`${prefix}.${bucketable}`);
}

interface Served {
  index: number;
  off: boolean;
  rule: string;
  pointer: string;
}

class Evaluator {
  constructor(
    private readonly flags: Readonly<Record<string, Flag>>,
    private readonly segments: Readonly<Record<string, Segment>>,
  ) {}

  private clauseMatches(clause: Clause, ctx: FlagContext, segmentsVisited: readonly string[]): boolean {
    if (clause.op === 'segmentMatch') {
      const match = clause.values.some((value) => {
        const segment = Object.prototype.hasOwnProperty.call(this.segments, value as string) ? this.segments[value as string] : undefined;
        if (!segment) return false;
        if (segmentsVisited.includes(segment.key)) throw new Malformed();
        return this.segmentMatches(segment, ctx, [...segmentsVisited, segment.key]);
      });
      return clause.negate ? !match : match;
    }
    const value = valueOf(ctx, clause.attribute, clause.contextKind);
    if (value === null || value === undefined) return false;
    const matchAny = (v: unknown): boolean => clause.values.some((test) => operatorHolds(clause.op, v, test));
    const match = Array.isArray(value) ? value.some(matchAny) : matchAny(value);
    return clause.negate ? !match : match;
  }

  private segmentMatches(segment: Segment, ctx: FlagContext, visited: readonly string[]): boolean {
    const search = (contexts: Segment['includedContexts'], users: string[] | undefined): boolean => {
      for (const target of contexts ?? []) {
        const key = userKey(ctx, target.contextKind);
        if (key && target.values.includes(key)) return true;
      }
      const key = userKey(ctx);
      return !!key && !!users?.includes(key);
    };
    if (search(segment.includedContexts, segment.included)) return true;
    if (search(segment.excludedContexts, segment.excluded)) return false;
    return (segment.rules ?? []).some((rule) => {
      if (!rule.clauses.every((c) => this.clauseMatches(c, ctx, visited))) return false;
      if (rule.weight === undefined) return true;
      return bucket(ctx, segment.key, rule.bucketBy, segment.salt || '', rule.rolloutContextKind, undefined) < rule.weight / 1e5;
    });
  }

  evaluate(flag: Flag, ctx: FlagContext, visited: readonly string[], pointer: string): Served {
    const off = (why: string): Served => {
      if (typeof flag.offVariation !== 'number') return { index: -1, off: true, rule: why, pointer };
      const index = flag.offVariation;
      if (!Number.isInteger(index) || index < 0 || index >= flag.variations.length) throw new Malformed();
      return { index, off: true, rule: why, pointer };
    };
    if (!flag.on) return off('off');
    for (const prereq of flag.prerequisites ?? []) {
      if (visited.includes(prereq.key)) throw new Malformed();
      const parent = Object.prototype.hasOwnProperty.call(this.flags, prereq.key) ? this.flags[prereq.key] : undefined;
      if (!parent) return off(`prerequisite ${prereq.key} failed`);
      const result = this.evaluate(parent, ctx, [...visited, prereq.key], `/flags/${prereq.key}`);
      if (result.off || result.index !== prereq.variation) return off(`prerequisite ${prereq.key} failed`);
    }
    const target = this.target(flag, ctx);
    if (target) return target;
    const rules = flag.rules ?? [];
    for (let i = 0; i < rules.length; i++) {
      const rule = rules[i]!;
      if (!rule.clauses) continue;
      if (rule.clauses.every((c) => this.clauseMatches(c, ctx, []))) {
        return this.serveWith(flag, rule, ctx, `rule ${i + 1}${rule.id ? ` (${rule.id})` : ''}`, `${pointer}/rules/${i}`);
      }
    }
    return this.serveWith(flag, flag.fallthrough, ctx, 'fallthrough', `${pointer}/fallthrough`);
  }

  private target(flag: Flag, ctx: FlagContext): Served | undefined {
    const evalTarget = (t: z.infer<typeof targetSchema>, at: string): Served | undefined => {
      const key = userKey(ctx, t.contextKind ?? USER);
      if (key === undefined || !t.values.includes(key)) return undefined;
      return this.serveWith(flag, { variation: t.variation }, ctx, 'individual target', at);
    };
    const base = `/flags/${flag.key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    if (!flag.contextTargets?.length) {
      for (const [i, t] of (flag.targets ?? []).entries()) {
        const hit = evalTarget(t, `${base}/targets/${i}`);
        if (hit) return hit;
      }
      return undefined;
    }
    for (const [i, t] of flag.contextTargets.entries()) {
      if (!t.contextKind || t.contextKind === USER) {
        const userTargetIndex = (flag.targets ?? []).findIndex((ut) => ut.variation === t.variation);
        if (userTargetIndex >= 0) {
          const hit = evalTarget(flag.targets![userTargetIndex]!, `${base}/targets/${userTargetIndex}`);
          if (hit) return hit;
        }
        continue;
      }
      const hit = evalTarget(t, `${base}/contextTargets/${i}`);
      if (hit) return hit;
    }
    return undefined;
  }

  private serveWith(flag: Flag, vr: VariationOrRollout | undefined, ctx: FlagContext, rule: string, pointer: string): Served {
    if (vr === undefined) throw new Malformed();
    const check = (index: number, what: string): Served => {
      if (!Number.isInteger(index) || index < 0 || index >= flag.variations.length) throw new Malformed();
      return { index, off: false, rule: what, pointer };
    };
    if (vr.variation !== undefined) return check(vr.variation, rule);
    const rollout = vr.rollout;
    if (rollout && rollout.variations.length > 0) {
      const experiment = rollout.kind === 'experiment';
      const n = bucket(ctx, flag.key, experiment ? undefined : rollout.bucketBy, flag.salt || '', rollout.contextKind, rollout.seed);
      let sum = 0;
      for (const v of rollout.variations) {
        sum += v.weight / 1e5;
        if (n < sum) return check(v.variation, `${rule}, rollout`);
      }
      return check(rollout.variations[rollout.variations.length - 1]!.variation, `${rule}, rollout`);
    }
    throw new Malformed();
  }
}

const knownOps = new Set(['in', 'endsWith', 'startsWith', 'matches', 'contains', 'lessThan', 'lessThanOrEqual', 'greaterThan', 'greaterThanOrEqual', 'before', 'after', 'semVerEqual', 'semVerLessThan', 'semVerGreaterThan', 'segmentMatch']);

function escape(part: string): string {
  return part.replace(/~/g, '~0').replace(/\//g, '~1');
}

function clauseFindings(file: JsonFile, clauses: readonly Clause[], at: string, segments: Readonly<Record<string, Segment>>, into: FlagFileProblem[], attributes: Set<string>, seen: Set<string>): void {
  clauses.forEach((clause, ci) => {
    const pointer = `${at}/clauses/${ci}`;
    if (clause.contextKind !== undefined && clause.contextKind !== USER) into.push(unsupported(file, `${pointer}/contextKind`, `LaunchDarkly: clause on context kind \`${clause.contextKind}\`: Segspec evaluates single \`user\` contexts`));
    if (!knownOps.has(clause.op)) into.push({ kind: 'invalid', ...file.locate(`${pointer}/op`), message: `LaunchDarkly: unknown clause operator \`${clause.op}\` (the SDK never matches it)` });
    if (clause.op !== 'segmentMatch') {
      attributes.add(clause.attribute.startsWith('/') && clause.contextKind !== undefined ? clause.attribute.slice(1).split('/')[0]! : clause.attribute);
      return;
    }
    for (const value of clause.values) {
      const key = String(value);
      if (seen.has(key)) continue;
      seen.add(key);
      const segment = Object.prototype.hasOwnProperty.call(segments, key) ? segments[key] : undefined;
      if (!segment) continue;
      if (segment.unbounded) into.push(unsupported(file, `${pointer}/values`, `LaunchDarkly: rule clause with op \`segmentMatch\` on big segment \`${key}\` cannot be evaluated offline`));
      if (segment.included?.length || segment.excluded?.length || segment.includedContexts?.length || segment.excludedContexts?.length) attributes.add('key');
      for (const [ri, rule] of (segment.rules ?? []).entries()) {
        clauseFindings(file, rule.clauses, `/segments/${escape(key)}/rules/${ri}`, segments, into, attributes, seen);
        if (rule.weight !== undefined) attributes.add(rule.bucketBy ?? 'key');
      }
    }
  });
}

function flagFindings(file: JsonFile, flag: Flag, segments: Readonly<Record<string, Segment>>): { problems: FlagFileProblem[]; attributes: string[] } {
  const problems: FlagFileProblem[] = [];
  const attributes = new Set<string>();
  const base = `/flags/${escape(flag.key)}`;
  if (flag.targets?.length || flag.contextTargets?.length) attributes.add('key');
  const rollout = (vr: VariationOrRollout | undefined, at: string): void => {
    if (!vr?.rollout) return;
    attributes.add(vr.rollout.kind === 'experiment' ? 'key' : vr.rollout.bucketBy ?? 'key');
    if (vr.rollout.contextKind !== undefined && vr.rollout.contextKind !== USER) problems.push(unsupported(file, `${at}/rollout/contextKind`, `LaunchDarkly: rollout by context kind \`${vr.rollout.contextKind}\`: Segspec evaluates single \`user\` contexts`));
  };
  for (const [ri, rule] of (flag.rules ?? []).entries()) {
    clauseFindings(file, rule.clauses ?? [], `${base}/rules/${ri}`, segments, problems, attributes, new Set());
    rollout(rule, `${base}/rules/${ri}`);
  }
  rollout(flag.fallthrough, `${base}/fallthrough`);
  for (const t of flag.contextTargets ?? []) {
    if (t.contextKind && t.contextKind !== USER) problems.push(unsupported(file, `${base}/contextTargets`, `LaunchDarkly: targets of context kind \`${t.contextKind}\`: Segspec evaluates single \`user\` contexts`));
  }
  return { problems, attributes: [...attributes] };
}

function isOnValue(flag: Flag, served: Served): boolean {
  if (served.index < 0) return false;
  const value = flag.variations[served.index];
  if (flag.variations.every((v) => typeof v === 'boolean')) return value === true;
  return !served.off && served.index !== flag.offVariation;
}

function read(text: string): LoadedFlagFile {
  const file = readJsonFile(text, 'LaunchDarkly');
  const empty = (problems: FlagFileProblem[]): LoadedFlagFile => ({ system: 'launchdarkly', flags: [], problems, evaluate: () => undefined });
  if (file.value === undefined) return empty(file.problems);
  const parsed = dataSchema.safeParse(file.value);
  if (!parsed.success) return empty(schemaProblems(parsed.error, file, 'LaunchDarkly'));
  const { flags } = parsed.data;
  const segments = parsed.data.segments ?? {};
  const definitions: FlagDefinition[] = Object.entries(flags).map(([key, flag]) => {
    const { problems, attributes } = flagFindings(file, flag, segments);
    return { key, location: file.locate(`/flags/${escape(key)}`), attributes, prerequisites: (flag.prerequisites ?? []).map((p) => p.key), problems };
  });
  const byKey = new Map(definitions.map((d) => [d.key, d]));
  const undecidable = (key: string, seen: Set<string> = new Set()): boolean => {
    if (seen.has(key)) return false;
    seen.add(key);
    if (byKey.get(key)?.problems.some((p) => p.kind === 'unsupported')) return true;
    return (flags[key]?.prerequisites ?? []).some((p) => undecidable(p.key, seen));
  };
  const evaluator = new Evaluator(flags, segments);
  const evaluate = (flagKey: string, ctx: FlagContext): FlagDecision | undefined => {
    const flag = byKey.has(flagKey) ? flags[flagKey] : undefined;
    if (!flag || undecidable(flagKey) || typeof ctx.key !== 'string' || ctx.key === '') return undefined;
    try {
      const served = evaluator.evaluate(flag, ctx, [flagKey], `/flags/${escape(flagKey)}`);
      const decision: FlagDecision = { on: isOnValue(flag, served), rule: served.rule, location: file.locate(served.pointer) };
      const value = served.index < 0 ? null : flag.variations[served.index];
      if (typeof value !== 'boolean' && value !== null && value !== undefined) decision.variation = typeof value === 'string' ? value : JSON.stringify(value);
      return decision;
    } catch {
      return undefined;
    }
  };
  return { system: 'launchdarkly', flags: definitions, problems: file.problems, evaluate };
}

export const launchdarkly: FlagSystem = { name: 'launchdarkly', title: 'LaunchDarkly', identityAttribute: 'key', read };
