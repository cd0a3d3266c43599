/**
 * The contract between the `flag` declaration (checks, findings, editor) and
 * the modules that read and evaluate one feature-flag system's own file
 * (SPEC §12). Each system lives in `core/flags/systems/<name>.ts` and is
 * found through `core/flags/systems/index.ts`.
 *
 * Evaluation is row by row with the system's own semantics (missing
 * attributes, coercion, case, regex flavour, semver, dates, references, rule
 * order, default, bucketing hash) and must equal the system's Node SDK on
 * every row.
 */

export const flagSystemNames = ['growthbook', 'unleash', 'flagd', 'launchdarkly', 'posthog'] as const;
export type FlagSystemName = (typeof flagSystemNames)[number];

export function isFlagSystemName(name: string): name is FlagSystemName {
  return (flagSystemNames as readonly string[]).includes(name);
}

/**
 * One attribute value as the system's SDK receives it in its evaluation
 * context. Dates are `YYYY-MM-DD`, date-times ISO 8601 with `Z`, semvers
 * their text, lists arrays of strings or numbers. A missing value is an
 * absent key, never `null` or `undefined` in the map.
 */
export type FlagAttributeValue = string | number | boolean | ReadonlyArray<string | number>;
export type FlagContext = Readonly<Record<string, FlagAttributeValue>>;

/** Where in the system's file something is: a JSON pointer and, when known, its line (0-based). */
export interface FlagFileLocation {
  pointer: string;
  line?: number;
  character?: number;
}

export interface FlagFileProblem extends FlagFileLocation {
  /** `invalid`: the file does not follow the system's format; `unsupported`: a construct Segspec cannot evaluate. */
  kind: 'invalid' | 'unsupported';
  /** One sentence naming the construct and the system, e.g. "LaunchDarkly: rule clause with op `segmentMatch` on a big segment cannot be evaluated offline". */
  message: string;
}

export interface FlagDecision {
  /** The flag is on (boolean flags) or serves a variation other than the off/default one. */
  on: boolean;
  /** The variation served, when the system has variations. */
  variation?: string;
  /** Which part of the targeting decided, in words ("rule 2: planTier in [pro, team]", "rollout 12.5%", "default"). */
  rule: string;
  /** Where that rule is in the file. */
  location?: FlagFileLocation;
}

export interface FlagDefinition {
  key: string;
  location: FlagFileLocation;
  /** Attributes the flag's targeting reads (including through referenced segments / saved groups / cohorts). */
  attributes: string[];
  /** Flags this flag's decision consults (prerequisites, dependencies): what they read counts as read too. */
  prerequisites: string[];
  /** Constructs in this flag Segspec cannot evaluate; when non-empty, `evaluate` may return undefined. */
  problems: FlagFileProblem[];
}

export interface LoadedFlagFile {
  system: FlagSystemName;
  flags: FlagDefinition[];
  /** Problems with the file as a whole (not specific to one flag). */
  problems: FlagFileProblem[];
  /**
   * The decision the system's SDK takes for one context; undefined when it
   * cannot be decided (a construct in `problems`). `ctx` holds the system's
   * identity attribute (`identityAttribute`) for bucketing.
   */
  evaluate(flagKey: string, ctx: FlagContext): FlagDecision | undefined;
}

export interface FlagSystem {
  name: FlagSystemName;
  /** As users write it in prose: "GrowthBook", "Unleash", "flagd", "LaunchDarkly", "PostHog". */
  title: string;
  /** The context attribute the system buckets and identifies by: `id`, `userId`, `targetingKey`, `key`, `distinct_id`. */
  identityAttribute: string;
  /** Parses the system's own file; never throws on bad input (problems instead). */
  read(text: string): LoadedFlagFile;
}
