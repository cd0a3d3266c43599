import type { CatalogEntry, Severity } from '../diagnostics/types.js';

/** Checks on the sample data (SPEC §6.2, §6.4): codes SEG200–SEG249. */
export const engineCodes: CatalogEntry[] = [
  {
    code: 'SEG200',
    severity: 'warning',
    title: 'Segment has no members',
    explanation:
      'No row of the sample data satisfies the `where` rule, so the segment is empty. Either the sample does not contain such users, or the rule is stricter than intended: look for a clause that never holds (SEG210) or a misspelled value.',
  },
  {
    code: 'SEG201',
    severity: 'error',
    title: 'Size expectation failed',
    explanation:
      'The number or share of members measured on the sample data is outside the range stated by `expect size`. The message gives the measured size. Adjust the rule, the expectation, or the sample; add `warn` to make it a warning.',
  },
  {
    code: 'SEG202',
    severity: 'error',
    title: 'Share expectation failed',
    explanation:
      'Among the members of the segment, the share for which the expression of `expect share(...)` holds is outside the stated bound. Rows where the expression is unknown (missing values) count as not holding.',
  },
  {
    code: 'SEG203',
    severity: 'error',
    title: 'Aggregate expectation failed',
    explanation:
      'The mean, median, minimum, maximum or percentile of a field over the members of the segment (missing values left out) is outside the stated bound.',
  },
  {
    code: 'SEG204',
    severity: 'error',
    title: 'Segments are not disjoint',
    explanation:
      '`expect disjoint` says no user belongs to both segments, but some rows of the sample data do. The message gives their number and a few example keys.',
  },
  {
    code: 'SEG205',
    severity: 'error',
    title: 'Overlap expectation failed',
    explanation:
      'The share of this segment\'s members that are also members of the other segment is outside the bound of `expect overlap(...)`.',
  },
  {
    code: 'SEG206',
    severity: 'error',
    title: 'Segment is not a subset',
    explanation:
      '`expect subset of` says every member of this segment is also a member of the other one, but some members are not. The message gives their number and a few example keys.',
  },
  {
    code: 'SEG207',
    severity: 'error',
    title: 'Example member does not match',
    explanation:
      'A record given as `example member` does not satisfy the `where` rule. The message names the clause that fails for it; fields left out of the record are missing, which makes comparisons on them unknown.',
  },
  {
    code: 'SEG208',
    severity: 'error',
    title: 'Example nonmember matches',
    explanation: 'A record given as `example nonmember` satisfies the `where` rule, so it would be a member.',
  },
  {
    code: 'SEG209',
    severity: 'error',
    title: 'Persona profile is not a member of its segment',
    explanation:
      "A persona's profile is a representative record of its segment, so it must satisfy the segment's rule. The message says which clause the profile fails and the values it saw.",
  },
  {
    code: 'SEG210',
    severity: 'warning',
    title: 'Clause never holds on the data',
    explanation:
      'One clause of the `where` rule is true for no row of the sample data. In an `and` this empties the segment; in an `or` the clause adds nothing. Check the values and the operator.',
  },
  {
    code: 'SEG211',
    severity: 'warning',
    title: 'Clause always holds on the data',
    explanation:
      'One clause of the `where` rule is true for every row of the sample data. In an `and` it does not narrow the segment; in an `or` it makes every row a member.',
  },
  {
    code: 'SEG212',
    severity: 'error',
    title: 'Exclusive partition has overlapping segments',
    explanation:
      'The partition is declared `exclusive`, but some rows belong to two of its segments. Each overlapping pair is listed with its count and example keys.',
  },
  {
    code: 'SEG213',
    severity: 'error',
    title: 'Exhaustive partition leaves rows out',
    explanation:
      'The partition is declared `exhaustive`, but some rows belong to none of its segments. The message gives their number and example keys.',
  },
  {
    code: 'SEG214',
    severity: 'warning',
    title: 'Expectation cannot be checked',
    explanation:
      'The expectation could not be measured on the data: the segment has no members, the other segment is a draft or draws from another dataset, or the field has no values among the members.',
  },
  {
    code: 'SEG215',
    severity: 'error',
    title: 'The SQL engine cannot run this segment',
    explanation:
      'The checks on the data run on a SQL engine (DuckDB for large or Parquet datasets in the editor, or `--engine` on the command line), and the engine rejected the SQL compiled from this rule, for instance a regular expression feature its regex flavour lacks. The message quotes the engine. The segment has no results on that engine until the rule is changed; on the command line it fails `check` like any error.',
  },
];

const severities = new Map<string, Severity>(engineCodes.map((c) => [c.code, c.severity]));

export function engineSeverity(code: string): Severity {
  const s = severities.get(code);
  if (!s) throw new Error(`unknown engine code ${code}`);
  return s;
}
