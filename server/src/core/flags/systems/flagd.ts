/**
 * flagd (OpenFeature): a flag definition file (`flags`, `$evaluators`)
 * read and evaluated as `@openfeature/flagd-core` 4.0 does: `$ref`s replaced
 * by their evaluators, targeting run by the same JSONLogic engine
 * (json-logic-engine 5.0.7, with its coercions and its `null` for a missing
 * `var`), the custom operations `starts_with`, `ends_with`, `sem_ver` and
 * `fractional` (murmur3 of flagKey + targetingKey as imurmurhash computes it,
 * UTF-16 units), a `null` result → the default variant, a disabled flag →
 * the application's default.
 */
import { LogicEngine } from 'json-logic-engine';
import semverCoerce from 'semver/functions/coerce.js';
import semverCompare from 'semver/functions/compare.js';
import semverParse from 'semver/functions/parse.js';
import type { SemVer } from 'semver';
import { z } from 'zod';
import { hasNonAscii, murmur3Flagd } from '../hash.js';
import type { FlagContext, FlagDecision, FlagDefinition, FlagFileProblem, FlagSystem, LoadedFlagFile } from '../system.js';
import { readJsonFile, schemaProblems, unsupported } from './json-file.js';

const flagSchema = z.looseObject({
  state: z.enum(['ENABLED', 'DISABLED']),
  variants: z.record(z.string(), z.unknown()),
  defaultVariant: z.string().nullable().optional(),
  targeting: z.unknown().optional(),
});

const fileSchema = z.looseObject({
  flags: z.record(z.string(), flagSchema),
  $evaluators: z.record(z.string(), z.unknown()).optional(),
});

type Flag = z.infer<typeof flagSchema>;
type Logic = (data: object) => unknown;

const FLAGD = '$flagd';

function startsOrEnds(method: 'starts_with' | 'ends_with'): (data: unknown) => boolean | null {
  return (data) => {
    if (!Array.isArray(data) || data.length !== 2) return null;
    const [a, b] = data as unknown[];
    if (typeof a !== 'string' || typeof b !== 'string') return null;
    return method === 'starts_with' ? a.startsWith(b) : a.endsWith(b);
  };
}

function normalizeVersion(raw: unknown): SemVer | null {
  const text = String(raw).replace(/^[vV]/, '');
  const strict = semverParse(text);
  if (strict) return strict;
  return /^\d+(\.\d+)?$/.test(text) ? semverCoerce(text) : null;
}

function semVer(data: unknown): boolean | null {
  if (!Array.isArray(data) || data.length !== 3) return null;
  const a = normalizeVersion(data[0]);
  const b = normalizeVersion(data[2]);
  if (!a || !b) return null;
  const result = semverCompare(a, b);
  switch (String(data[1])) {
    case '=':
      return result === 0;
    case '!=':
      return result !== 0;
    case '<':
      return result < 0;
    case '<=':
      return result <= 0;
    case '>=':
      return result >= 0;
    case '>':
      return result > 0;
    case '^':
      return a.major === b.major;
    case '~':
      return a.major === b.major && a.minor === b.minor;
    default:
      return null;
  }
}

function fractional(data: unknown, context: Record<string, unknown>): unknown {
  if (!Array.isArray(data) || data.length < 1) return null;
  const flagd = context[FLAGD] as { flagKey: string } | undefined;
  if (!flagd) return null;
  let bucketBy: string;
  let buckets: unknown[];
  if (typeof data[0] === 'string') {
    bucketBy = data[0];
    buckets = data.slice(1);
  } else {
    const targetingKey = context.targetingKey;
    if (!targetingKey) return null;
    bucketBy = `${flagd.flagKey}${String(targetingKey)}`;
    buckets = data;
  }
  const fractions: Array<{ weight: number; variant: unknown }> = [];
  let total = 0;
  for (const entry of buckets) {
    if (!Array.isArray(entry) || entry.length === 0 || entry.length > 2) return null;
    const head: unknown = entry[0];
    let variant: unknown;
    if (typeof head === 'string' || typeof head === 'number' || typeof head === 'boolean') variant = head;
    else if (head === null || head === undefined) variant = null;
    else return null;
    let weight = 1;
    if (entry.length >= 2) {
      const raw: unknown = entry[1];
      if (typeof raw !== 'number' || !Number.isInteger(raw)) return null;
      weight = Math.max(0, raw);
    }
    fractions.push({ weight, variant });
    total += weight;
  }
  if (total > 2147483647) return null;
  const bucket = (BigInt(murmur3Flagd(bucketBy)) * BigInt(total)) >> BigInt(32);
  let sum = BigInt(0);
  for (const f of fractions) {
    sum += BigInt(f.weight);
    if (sum > bucket) return f.variant;
  }
  return null;
}

/** The JSON Logic engine with flagd's custom operations, as `@openfeature/flagd-core` builds it. */
export function flagdLogicEngine(): LogicEngine {
  const logic = new LogicEngine();
  logic.addMethod('starts_with', startsOrEnds('starts_with'));
  logic.addMethod('ends_with', startsOrEnds('ends_with'));
  logic.addMethod('sem_ver', semVer);
  logic.addMethod('fractional', fractional);
  return logic;
}

/** flagd-core's `transform`: every `{"$ref": key}` replaced, as text, by the evaluator's JSON. */
function resolveRefs(text: string): unknown {
  const parsed = JSON.parse(text) as Record<string, unknown>;
  const evaluators = parsed.$evaluators as Record<string, unknown> | undefined;
  if (!evaluators) return parsed;
  let transformed = JSON.stringify(parsed);
  for (const key in evaluators) transformed = transformed.split(`{"$ref":"${key}"}`).join(JSON.stringify(evaluators[key]));
  return JSON.parse(transformed) as unknown;
}

/** The context variables targeting reads (`var` names, first path part). */
function collect(logic: unknown, into: Set<string>): void {
  if (Array.isArray(logic)) {
    for (const item of logic) collect(item, into);
    return;
  }
  if (logic === null || typeof logic !== 'object') return;
  for (const [op, args] of Object.entries(logic)) {
    if (op === 'var') {
      const name = Array.isArray(args) ? args[0] : args;
      if (typeof name === 'string' && name !== '' && !name.startsWith(FLAGD)) into.add(name.split('.')[0]!);
    } else if (op === 'fractional' && Array.isArray(args) && Array.isArray(args[0])) {
      into.add('targetingKey'); // no bucketing expression: flagd buckets by flagKey + targetingKey
    }
    collect(args, into);
  }
}

function usesTimestamp(logic: unknown): boolean {
  return JSON.stringify(logic ?? null).includes('"$flagd.timestamp"');
}

function escape(part: string): string {
  return part.replace(/~/g, '~0').replace(/\//g, '~1');
}

function read(text: string): LoadedFlagFile {
  const file = readJsonFile(text, 'flagd');
  const empty = (problems: FlagFileProblem[]): LoadedFlagFile => ({ system: 'flagd', flags: [], problems, evaluate: () => undefined });
  if (file.value === undefined) return empty(file.problems);
  const parsed = fileSchema.safeParse(file.value);
  if (!parsed.success) return empty(schemaProblems(parsed.error, file, 'flagd'));
  let resolved: z.infer<typeof fileSchema>;
  try {
    resolved = fileSchema.parse(resolveRefs(text));
  } catch {
    return empty([{ kind: 'invalid', ...file.locate('/$evaluators'), message: 'flagd: replacing the `$ref`s by their `$evaluators` does not give a valid flag file' }]);
  }
  const logicEngine = flagdLogicEngine();
  const compiled = new Map<string, Logic | 'none'>();
  const definitions: FlagDefinition[] = [];
  for (const [key, flag] of Object.entries(parsed.data.flags)) {
    const final = resolved.flags[key] ?? flag;
    const pointer = `/flags/${escape(key)}`;
    const problems: FlagFileProblem[] = [];
    const refs = JSON.stringify(final.targeting ?? null).match(/\{"\$ref":"([^"]*)"\}/);
    if (refs) problems.push({ kind: 'invalid', ...file.locate(`${pointer}/targeting`), message: `flagd: \`$ref\` \`${refs[1]}\` names no entry of \`$evaluators\`` });
    if (usesTimestamp(final.targeting)) problems.push(unsupported(file, `${pointer}/targeting`, 'flagd: targeting on `$flagd.timestamp` depends on the moment of evaluation'));
    if (final.defaultVariant && !(final.defaultVariant in final.variants)) problems.push({ kind: 'invalid', ...file.locate(`${pointer}/defaultVariant`), message: `flagd: default variant \`${final.defaultVariant}\` is not among the variants (flagd rejects the file)` });
    const targeting = final.targeting;
    if (targeting && typeof targeting === 'object' && Object.keys(targeting).length > 0) {
      try {
        compiled.set(key, logicEngine.build(targeting as never) as Logic);
      } catch (error) {
        problems.push({ kind: 'invalid', ...file.locate(`${pointer}/targeting`), message: `flagd: invalid targeting (${error instanceof Error ? error.message : String(error)}); flagd answers the application's default` });
      }
    } else compiled.set(key, 'none');
    const attributes = new Set<string>();
    collect(targeting, attributes);
    definitions.push({ key, location: file.locate(pointer), attributes: [...attributes], prerequisites: [], problems });
  }
  const byKey = new Map(definitions.map((d) => [d.key, d]));

  const evaluate = (flagKey: string, ctx: FlagContext): FlagDecision | undefined => {
    const definition = byKey.get(flagKey);
    const flag: Flag | undefined = resolved.flags[flagKey];
    if (!definition || !flag || definition.problems.length > 0) return undefined;
    const pointer = `/flags/${escape(flagKey)}`;
    if (flag.state === 'DISABLED') return { on: false, rule: "disabled (the application's default value)", location: file.locate(`${pointer}/state`) };
    const logic = compiled.get(flagKey);
    let variant: string | undefined | null;
    let rule: string;
    if (!logic || logic === 'none') {
      variant = flag.defaultVariant;
      rule = 'default variant (no targeting)';
    } else {
      let result: unknown;
      try {
        result = logic({ ...ctx, [FLAGD]: { flagKey, timestamp: Math.floor(Date.now() / 1000) } });
      } catch {
        return undefined;
      }
      if (result === null || result === undefined) {
        variant = flag.defaultVariant;
        rule = 'default variant (targeting returned null)';
      } else {
        variant = String(result);
        rule = `targeting: variant ${variant}`;
      }
    }
    if (variant === undefined || variant === null) return { on: false, rule: "no variant (the application's default value)", location: file.locate(pointer) };
    if (!Object.prototype.hasOwnProperty.call(flag.variants, variant)) return undefined;
    const value = flag.variants[variant];
    const on = typeof value === 'boolean' ? value : variant !== flag.defaultVariant;
    return { on, variation: variant, rule, location: file.locate(logic && logic !== 'none' ? `${pointer}/targeting` : `${pointer}/defaultVariant`) };
  };
  return { system: 'flagd', flags: definitions, problems: file.problems, evaluate };
}

/**
 * What the findings say about a bucketing key outside ASCII: flagd's
 * JavaScript core hashes UTF-16 units (imurmurhash), the other flagd SDKs
 * UTF-8 bytes, so such users may land in other buckets there.
 */
export function flagdHashNote(key: string): string | undefined {
  if (!hasNonAscii(key)) return undefined;
  return `flagd: the key \`${key}\` has characters outside ASCII; Segspec buckets \`fractional\` as the JavaScript core (@openfeature/flagd-core) does, hashing UTF-16 units; flagd itself and SDKs that hash UTF-8 bytes may bucket it differently`;
}

export const flagd: FlagSystem = { name: 'flagd', title: 'flagd', identityAttribute: 'targetingKey', read };
