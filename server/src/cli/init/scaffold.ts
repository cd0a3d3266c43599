/**
 * The files `segspec init` writes: a dataset over a data file, one segment,
 * one persona and a roadmap that references them. Pure text generation from
 * a description of the data's columns.
 */
import type { ColumnType } from '../../core/data/table.js';

export interface ColumnInfo {
  name: string;
  type: ColumnType;
  optional: boolean;
  /** Distinct non-missing values in data order (for enum/string/boolean), at most a few dozen. */
  values: string[];
  /** For numeric columns: the median of the non-missing values. */
  median?: number;
}

/** One dataset of the workspace, from one data file. */
export interface DatasetScaffold {
  name: string;
  /** Path of the data file relative to the workspace folder, with `/`. */
  source: string;
  columns: ColumnInfo[];
  /** Column that identifies a row, when one looks like a key. */
  key?: string;
  /** Words the data uses for a missing value (`missing [...]`). */
  missing?: string[];
  rowCount: number;
  /** `belongs to PARENT by FIELD` (SPEC §11), when a column's values are another file's keys. */
  link?: { parent: string; by: string };
}

export interface ScaffoldInput {
  /** The first dataset without a parent is the one the example segment is over. */
  datasets: DatasetScaffold[];
  asOf: string;
}

export interface ScaffoldFile {
  /** Relative to the workspace folder. */
  path: string;
  text: string;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

function str(s: string): string {
  return JSON.stringify(s).replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function typeText(c: ColumnInfo): string {
  const base = c.type === 'enum' && c.values.length > 0 && c.values.length <= 12 ? `enum(${c.values.map(str).join(', ')})` : c.type;
  return `${base}${c.optional ? '?' : ''}`;
}

interface Rule {
  where: string;
  /** A profile entry that satisfies the rule: `field: literal`. */
  profile: string;
  description: string;
}

function formatNumber(n: number, integer: boolean): string {
  return integer ? String(Math.round(n)) : String(Number(n.toFixed(2)));
}

/** A simple, true-on-some-rows rule from the first column that supports one. */
function pickRule(columns: ColumnInfo[], key: string | undefined): Rule | undefined {
  const usable = columns.filter((c) => c.name !== key && IDENT.test(c.name));
  const bool = usable.find((c) => c.type === 'boolean');
  // The categorical column with the fewest distinct values reads most like a segment (`plan == "free"`).
  const category = usable
    .filter((c) => (c.type === 'enum' || c.type === 'string') && c.values.length >= 2 && c.values.length <= 20)
    .sort((a, b) => a.values.length - b.values.length)[0];
  const numeric = usable.find((c) => (c.type === 'integer' || c.type === 'number') && c.median !== undefined);
  if (category) {
    const v = category.values[0];
    return { where: `${category.name} == ${str(v)}`, profile: `${category.name}: ${str(v)}`, description: `Rows whose ${category.name} is ${v}.` };
  }
  if (numeric && numeric.median !== undefined) {
    const m = formatNumber(numeric.median, numeric.type === 'integer');
    return { where: `${numeric.name} >= ${m}`, profile: `${numeric.name}: ${m}`, description: `The upper half by ${numeric.name}.` };
  }
  if (bool) return { where: bool.name, profile: `${bool.name}: true`, description: `Rows where ${bool.name} is true.` };
  return undefined;
}

function datasetText(d: DatasetScaffold, asOf: string): string {
  const fields = d.columns
    .filter((c) => IDENT.test(c.name))
    .map((c) => `    ${c.name}: ${typeText(c)}`)
    .join('\n');
  const skipped = d.columns.filter((c) => !IDENT.test(c.name)).map((c) => c.name);
  return [
    `// ${d.rowCount.toLocaleString('en-US')} rows when this file was created.`,
    ...(skipped.length > 0 ? [`// Columns whose names are not identifiers were left out: ${skipped.join(', ')}.`] : []),
    `dataset ${d.name} "${titleCase(d.name)}" {`,
    `  source ${str(d.source)}`,
    ...(d.key ? [`  key ${d.key}`] : []),
    ...(d.link ? [`  belongs to ${d.link.parent} by ${d.link.by}`] : []),
    ...(d.missing?.length ? [`  missing [${d.missing.map(str).join(', ')}]`] : []),
    `  as of ${asOf}`,
    `  fields {`,
    fields,
    `  }`,
    `}`,
    ``,
  ].join('\n');
}

export function scaffold(input: ScaffoldInput): ScaffoldFile[] {
  const main = input.datasets.find((d) => !d.link) ?? input.datasets[0];
  const dataset = [
    `// The sample data the segments of this workspace are checked against.`,
    ...(input.datasets.length > 1
      ? [`// A dataset that \`belongs to\` another one holds related rows (events, answers) of its parent: see SPEC §11.`]
      : []),
    ``,
    input.datasets.map((d) => datasetText(d, input.asOf)).join('\n'),
  ].join('\n');
  const rule = pickRule(main.columns, main.key);
  const segment = [
    `// Segments: who the product is for. Each one is checked against the sample data.`,
    ``,
    `segment first_segment "First segment" {`,
    `  kind behavioral`,
    ...(input.datasets.length > 1 ? [`  from ${main.name}`] : []),
    `  description ${str(rule?.description ?? 'A draft: write its rule in `where`.')}`,
    ...(rule ? [`  where ${rule.where}`, `  expect size >= 1`] : []),
    `  owner "product"`,
    `}`,
    ``,
  ].join('\n');
  const persona = [
    `// Personas: a representative member of a segment, checked against its rule.`,
    ``,
    `persona first_persona "First persona" {`,
    `  segment first_segment`,
    `  quote "What I need from the product, in my own words."`,
    ...(rule ? [`  profile { ${rule.profile} }`] : []),
    `  goals ["The outcome this person is after"]`,
    `  pains ["What gets in the way today"]`,
    `}`,
    ``,
  ].join('\n');
  const roadmap = [
    `---`,
    `title: Roadmap`,
    `segments: [first_segment]`,
    `---`,
    ``,
    `# Roadmap`,
    ``,
    `We build the first release for @segment(first_segment), and for`,
    `@persona(first_persona) in particular.`,
    ``,
    `Run \`segspec check\` to check the specs against the data and`,
    `\`segspec stats\` to see how many users each segment has.`,
    ``,
  ].join('\n');
  return [
    { path: 'data.segspec', text: dataset },
    { path: 'segments.segspec', text: segment },
    { path: 'personas.segspec', text: persona },
    { path: 'roadmap.md', text: roadmap },
  ];
}

function titleCase(name: string): string {
  const words = name.split('_').filter(Boolean);
  return words.map((w) => w[0].toUpperCase() + w.slice(1)).join(' ');
}

/** A small example CSV for `segspec init` without `--from`. */
export const EXAMPLE_CSV = [
  'user_id,age,country,plan,sessions_30d,is_student',
  'u01,21,DE,free,12,true',
  'u02,34,US,pro,40,false',
  'u03,45,GB,team,8,false',
  'u04,19,IN,free,25,true',
  'u05,52,US,enterprise,3,false',
  'u06,28,FR,pro,31,false',
  'u07,23,BR,free,17,true',
  'u08,39,DE,team,22,false',
  'u09,31,JP,pro,54,false',
  'u10,26,US,free,5,false',
  '',
].join('\n');
