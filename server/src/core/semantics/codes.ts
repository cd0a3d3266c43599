import type { CatalogEntry } from '../diagnostics/types.js';
import { relatedStaticCodes } from './related-codes.js';

/** Static checks: codes SEG001–SEG099 (no data needed). */
export const staticCodes: CatalogEntry[] = [
  {
    code: 'SEG001',
    severity: 'error',
    title: 'Syntax error',
    explanation:
      'The file does not follow the Segspec grammar at this place. The message says what was expected. The rest of the file is still analysed, so fix the first error first: later ones are sometimes a consequence of it.',
  },
  {
    code: 'SEG002',
    severity: 'error',
    title: 'Name defined twice',
    explanation:
      'All .segspec files of a workspace share one namespace: a dataset, segment, persona or partition name may be defined only once. Both definitions are reported; rename one of them.',
  },
  {
    code: 'SEG003',
    severity: 'error',
    title: 'Unknown segment',
    explanation:
      'The name does not match any segment in the workspace. Check the spelling (a close match is suggested) or define the segment.',
  },
  {
    code: 'SEG004',
    severity: 'error',
    title: 'Unknown field',
    explanation:
      "The name is neither a field of the segment's dataset nor a segment. Fields come from the dataset's `fields { }` block and from the columns of its data file. Check the spelling (a close match is suggested), or add the field to `fields`.",
  },
  {
    code: 'SEG005',
    severity: 'error',
    title: 'Unknown dataset',
    explanation: 'The name after `from` does not match any dataset in the workspace.',
  },
  {
    code: 'SEG006',
    severity: 'error',
    title: 'Unknown persona',
    explanation: 'The name does not match any persona in the workspace.',
  },
  {
    code: 'SEG007',
    severity: 'error',
    title: 'Reference cycle',
    explanation:
      'Segments may use other segments in `where`, but not in a circle: a segment cannot depend on itself, directly or through others. The message names the whole cycle; break it by writing one of the rules out in full.',
  },
  {
    code: 'SEG008',
    severity: 'error',
    title: 'Name is both a field and a segment',
    explanation:
      'A bare name in `where` means a field of the dataset or membership of a segment. When a segment has the same name as a field, the meaning is ambiguous: rename the segment.',
  },
  {
    code: 'SEG009',
    severity: 'error',
    title: 'Property given twice',
    explanation:
      'Each property may appear once in a declaration, except `expect` and `example`, which are repeatable. Remove or merge the second one.',
  },
  {
    code: 'SEG010',
    severity: 'error',
    title: 'Missing required property',
    explanation:
      'A dataset needs a `source` (a data file) or a `table`; a persona needs the `segment` it represents; a partition needs its `segments`.',
  },
  {
    code: 'SEG011',
    severity: 'error',
    title: 'Type mismatch',
    explanation:
      "The two sides of a comparison have types that can never be compared, such as a number field against a string. The message gives the field's type; change the value or the operator.",
  },
  {
    code: 'SEG012',
    severity: 'error',
    title: 'Operator does not apply to this type',
    explanation:
      '`contains` works on lists and strings; `starts with`, `ends with` and `matches` on strings; `within last`, `before` and `after` on dates and date-times; arithmetic on numbers. The message names the field and its type.',
  },
  {
    code: 'SEG013',
    severity: 'error',
    title: 'Not a semantic version',
    explanation:
      'A semver field is compared with version strings such as "3.10.0" (major.minor.patch, with an optional pre-release). The value given is not one.',
  },
  {
    code: 'SEG014',
    severity: 'error',
    title: 'Value not in the enum',
    explanation:
      "The field is an enum with a declared list of values and the value compared with it is not in the list, so the comparison can never hold. The closest declared value is suggested.",
  },
  {
    code: 'SEG015',
    severity: 'warning',
    title: 'Condition can never hold',
    explanation:
      'Two conditions joined by `and` exclude each other on the same field (for example `age < 18 and age > 65`), so the segment can never have members. The rule is still valid: the segment is counted as empty (size 0), and partitions and segments using it are measured with it. Check the bounds or use `or`.',
  },
  {
    code: 'SEG016',
    severity: 'warning',
    title: 'Condition always holds',
    explanation:
      'The conditions joined by `or` cover every possible value of the field, so they exclude nobody. Under SQL logic a row whose value is missing is still excluded: if that is the intent, write `field is not missing` instead.',
  },
  {
    code: 'SEG017',
    severity: 'error',
    title: 'Unknown function',
    explanation:
      'The functions are lower, upper and len, and the dataset-wide aggregates p1 to p99, median, mean, min and max.',
  },
  {
    code: 'SEG018',
    severity: 'error',
    title: 'Unknown segment kind',
    explanation:
      'The kind of a segment is one of demographic, geographic, behavioral, psychographic, technographic, needs and value.',
  },
  {
    code: 'SEG019',
    severity: 'info',
    title: 'Draft segment',
    explanation:
      'A segment without `where` is a draft: it has no members yet. Roadmaps that reference it get a warning until the rule is written.',
  },
  {
    code: 'SEG020',
    severity: 'warning',
    title: "Persona's segment is a draft",
    explanation:
      'The persona represents a segment that has no `where` rule yet, so its profile cannot be checked.',
  },
  {
    code: 'SEG021',
    severity: 'error',
    title: 'No dataset for the segment',
    explanation:
      'When a workspace has more than one dataset, a segment must say which one it draws from with `from DATASET`. When there is none, define a dataset.',
  },
  {
    code: 'SEG022',
    severity: 'error',
    title: 'Invalid regular expression',
    explanation:
      'The pattern after `matches` is not a valid regular expression in RE2 syntax (SPEC §5.1). RE2 matches in time linear in the value, so no pattern can stall the editor or CI; that rules out backreferences (`\\1`) and look-around (`(?=…)`, `(?!…)`, `(?<=…)`, `(?<!…)`). Rewrite the pattern without them, e.g. with alternatives or a second `matches` joined by `and` / `and not`.',
  },
  {
    code: 'SEG023',
    severity: 'error',
    title: 'Unknown field type',
    explanation:
      'Field types are string, integer, number, boolean, date, datetime, semver, enum or enum("a", …), list<string> and list<integer>, each optionally followed by `?`.',
  },
  {
    code: 'SEG024',
    severity: 'error',
    title: 'Unknown field in a record',
    explanation:
      "A persona profile or an example record names a field that the segment's dataset does not have.",
  },
  {
    code: 'SEG025',
    severity: 'error',
    title: 'Invalid argument',
    explanation:
      'The function or aggregate needs an argument of another type: `len` takes a string or a list, `lower` and `upper` a string, the aggregates a numeric field.',
  },
  {
    code: 'SEG026',
    severity: 'error',
    title: 'Not a predicate',
    explanation:
      'A `where` rule (and each side of `and`, `or`, `not`) must be a condition that is true or false, such as a comparison, a boolean field or a segment name; a bare number, string or non-boolean field is not one.',
  },
  {
    code: 'SEG027',
    severity: 'error',
    title: 'Partition member is not a segment',
    explanation: 'Every name in a partition\'s `segments` list must be a segment of the workspace.',
  },
  {
    code: 'SEG028',
    severity: 'error',
    title: 'Invalid expectation',
    explanation:
      'An `expect` line compares with a number or a percentage; percentages lie between 0% and 100%, and `between A and B` needs A ≤ B.',
  },
];

staticCodes.push({
  code: 'SEG029',
  severity: 'warning',
  title: 'Value never seen in the data',
  explanation:
    'The field is compared with a string that no row of the sample data has, and a close value exists: it is probably a typo. String comparisons are case-sensitive (use `lower(field)` to ignore case).',
});

staticCodes.push({
  code: 'SEG030',
  severity: 'error',
  title: 'Segment from another dataset',
  explanation:
    'A rule can name only segments of its own dataset: membership means a row of the same table. A segment drawn from another dataset has no rows here (on the embedded engine it would never hold; a SQL engine cannot join the tables). Define the segment over this dataset, or move the rule.',
});

staticCodes.push({
  code: 'SEG031',
  severity: 'warning',
  title: 'Depends on a segment with an error',
  explanation:
    'The rule uses a segment (or the partition lists one) whose own rule has an error, so there is nothing right to count: this segment, its expectations and the partition are shown as unavailable rather than with a number measured on a broken rule. Fix the error in the segment named; this finding goes away with it.',
});

staticCodes.push({
  code: 'SEG035',
  severity: 'error',
  title: 'Missing-value marker is not a text',
  explanation:
    'A dataset\'s `missing [...]` lists the texts that mark a missing value in the data files, such as `missing ["?", "NA", "N/A"]`: a cell holding exactly one of them is read as an empty cell (in JSON, a string holding one is read as `null`). Each marker is a text in quotes, even a number (`"-1"`).',
});

staticCodes.push(...relatedStaticCodes);
