/**
 * Diagnostic codes of the `flag` declaration (SPEC §12): static checks
 * SEG060–SEG079 (the declaration and the flag system's file), findings on the
 * sample data SEG301–SEG339 (leak, expectations; reach and leak themselves
 * are shown by the lens, hover, stats and report).
 */
import type { CatalogEntry, Finding, Severity } from '../diagnostics/types.js';
import type { Range } from '../syntax/ast.js';

export const flagCodes: CatalogEntry[] = [
  {
    code: 'SEG060',
    severity: 'error',
    title: 'Flag property missing',
    explanation:
      'A `flag` needs the flag system (`system growthbook`), the system\'s own file (`source "flags/growthbook.json"`), the flag\'s key in that file (`key "smart-reschedule"`) and the segment the feature is for (`for students`). Without them the flag cannot be read or checked.',
  },
  {
    code: 'SEG061',
    severity: 'error',
    title: 'Unknown flag system',
    explanation: 'The systems Segspec reads are growthbook, unleash, flagd, launchdarkly and posthog. Check the spelling (a close match is suggested).',
  },
  {
    code: 'SEG062',
    severity: 'error',
    title: 'Flag file not found',
    explanation:
      "The flag's `source` names a file that does not exist or cannot be read. Paths are relative to the .segspec file that names them.",
  },
  {
    code: 'SEG063',
    severity: 'error',
    title: 'Unknown segment in `for`',
    explanation: 'The segment a flag is for must be defined in the workspace. Check the spelling (a close match is suggested) or define the segment.',
  },
  {
    code: 'SEG064',
    severity: 'error',
    title: 'Flag file outside the workspace',
    explanation:
      "A flag's `source` must stay inside the workspace folder, like a dataset's, so that a spec cannot read files elsewhere on the machine and the check gives the same answer on every checkout.",
  },
  {
    code: 'SEG065',
    severity: 'error',
    title: 'Unknown field in `context`',
    explanation:
      "Each `attribute: field` of a flag's `context` reads the attribute's value from a field of the `for` segment's dataset (`attribute` alone reads the field of the same name). The field named does not exist in that dataset (a close match is suggested).",
  },
  {
    code: 'SEG066',
    severity: 'error',
    title: 'Flag key not in the file',
    explanation:
      "The flag system's file has no flag with this key. Keys are case-sensitive; a close key of the file is suggested.",
  },
  {
    code: 'SEG067',
    severity: 'warning',
    title: 'Attribute not mapped',
    explanation:
      "The flag's targeting reads an attribute that the `context` does not map and that is not a field of the dataset with the same name, so every row is evaluated as if the attribute were missing — usually not what the system sees in production. Map it in `context { attribute: field }` (a close field is suggested).",
  },
  {
    code: 'SEG068',
    severity: 'error',
    title: 'Flag file does not follow the system\'s format',
    explanation:
      "The file named by `source` is not what the flag system produces or serves (GrowthBook's SDK payload, Unleash's client API response, a flagd flag definition file, LaunchDarkly's server-side SDK data, PostHog's local-evaluation response). The message says what is wrong and where in the file.",
  },
  {
    code: 'SEG069',
    severity: 'warning',
    title: 'Construct Segspec cannot evaluate',
    explanation:
      "The flag uses a construct that the system supports but that Segspec cannot evaluate offline (named in the message, with its place in the file). Rows whose decision depends on it are not counted: the flag's reach and leak are unavailable rather than a guess.",
  },
  {
    code: 'SEG070',
    severity: 'error',
    title: 'Flag for segments of different datasets',
    explanation:
      'A flag is evaluated on the rows of one dataset: the segments in `for` must all draw from the same dataset.',
  },
  {
    code: 'SEG071',
    severity: 'error',
    title: 'Context attribute given twice',
    explanation: 'Each attribute of a flag\'s `context` is read from one field; remove the second mapping.',
  },
  {
    code: 'SEG072',
    severity: 'warning',
    title: 'No identity for bucketing',
    explanation:
      "Percentage rollouts and variant splits bucket each row by the system's identity attribute (GrowthBook `id`, Unleash `userId`, flagd `targetingKey`, LaunchDarkly `key`, PostHog `distinct_id`). It defaults to the dataset's `key`; this dataset has none, so map the identity attribute in `context`.",
  },
  {
    code: 'SEG301',
    severity: 'warning',
    title: 'Flag leaks outside its segment',
    explanation:
      "Rows outside the segment the flag is for get the flag. The message gives their number, a few example keys and the rule of the flag system that let them in: tighten that rule, or widen the segment if the spec is what is wrong. Add `expect leak == 0` to make it an error.",
  },
  {
    code: 'SEG302',
    severity: 'error',
    title: 'Flag reach expectation failed',
    explanation:
      "`expect reach` does not hold on the sample data: the message gives the measured share of the `for` segment that gets the flag. A trailing `warn` makes it a warning.",
  },
  {
    code: 'SEG303',
    severity: 'error',
    title: 'Flag leak expectation failed',
    explanation:
      "`expect leak` does not hold on the sample data: the message gives the measured number (or share) of rows outside the `for` segment that get the flag. A trailing `warn` makes it a warning.",
  },
  {
    code: 'SEG304',
    severity: 'warning',
    title: 'Flag reach and leak unavailable',
    explanation:
      "The flag's decision could not be computed for some rows (a construct Segspec cannot evaluate, a file that cannot be read, a segment with an error), so no reach or leak is shown rather than a number that could be wrong. The message says why.",
  },
  {
    code: 'SEG305',
    severity: 'info',
    title: 'Non-ASCII keys bucketed as the Node SDK does',
    explanation:
      "The SDKs of this system disagree on keys with non-ASCII characters (the Node SDK hashes UTF-16 code units, others UTF-8 bytes). Segspec follows the Node SDK, so rows with such keys may be bucketed differently by a server written in another language.",
  },
];

const severities = new Map<string, Severity>(flagCodes.map((c) => [c.code, c.severity]));

/** A flag finding with the catalog's severity (or the one given, for `warn` expectations). */
export function flagFinding(
  code: string,
  file: string,
  range: Range,
  message: string,
  extra: { data?: Record<string, unknown>; severity?: Severity; related?: Finding['related'] } = {},
): Finding {
  const severity = extra.severity ?? severities.get(code);
  if (!severity) throw new Error(`unknown flag code ${code}`);
  const finding: Finding = { code, severity, message, file, range };
  if (extra.data) finding.data = extra.data;
  if (extra.related && extra.related.length > 0) finding.related = extra.related;
  return finding;
}
