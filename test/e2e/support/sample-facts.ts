/**
 * What the tests expect to see, worked out independently of the extension:
 * straight from the sample's CSV and source text, with a few lines of plain
 * code per fact. Shared by the browser scenarios and the desktop suite.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export type Row = Record<string, string>;

/** A CSV reader for the sample (quoted fields with doubled quotes are handled). */
export function readCsv(path: string): Row[] {
  const text = readFileSync(path, 'utf8');
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i += 1;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i += 1;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else {
      field += c;
    }
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  const [header, ...body] = records.filter((r) => r.length > 1 || r[0] !== '');
  return body.map((cells) => Object.fromEntries(header.map((name, i) => [name, cells[i] ?? ''])));
}

export function truthy(value: string): boolean {
  return ['true', '1', 'yes'].includes(value.trim().toLowerCase());
}

export interface SegmentFact {
  name: string;
  size: number;
  share: number;
  memberKeys: Set<string>;
}

export interface SampleFacts {
  rows: Row[];
  fields: string[];
  planValues: string[];
  students: SegmentFact;
}

/** Field names declared in the `fields { ... }` block of the sample's dataset. */
export function declaredFields(datasetSource: string): string[] {
  const block = /fields\s*\{([\s\S]*?)\n\s*\}/.exec(datasetSource);
  if (!block) return [];
  return [...block[1].matchAll(/^\s*([A-Za-z_][A-Za-z0-9_]*)\s*:/gm)].map((m) => m[1]);
}

export function loadSampleFacts(workspace: string): SampleFacts {
  const rows = readCsv(join(workspace, 'data', 'users.csv'));
  const fields = declaredFields(readFileSync(join(workspace, 'data.segspec'), 'utf8'));
  const planValues = [...new Set(rows.map((r) => r.plan).filter((v) => v !== ''))].sort();
  // segment students: where is_student and age between 16 and 30
  const studentRows = rows.filter((r) => truthy(r.is_student) && Number(r.age) >= 16 && Number(r.age) <= 30);
  return {
    rows,
    fields,
    planValues,
    students: {
      name: 'students',
      size: studentRows.length,
      share: studentRows.length / rows.length,
      memberKeys: new Set(studentRows.map((r) => r.user_id)),
    },
  };
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** True when `text` states the count (as 1,234 or 1234) and a percentage within 0.1 points of `share`. */
export function statesSizeAndShare(text: string, fact: SegmentFact): boolean {
  const countShown = text.includes(formatCount(fact.size)) || new RegExp(`\\b${fact.size}\\b`).test(text);
  const percents = [...text.matchAll(/(\d+(?:\.\d+)?)\s?%/g)].map((m) => Number(m[1]));
  const shareShown = percents.some((p) => Math.abs(p - fact.share * 100) <= 0.1);
  return countShown && shareShown;
}

/** Member keys of the segment that the text mentions. */
export function mentionedMembers(text: string, fact: SegmentFact): string[] {
  return [...text.matchAll(/\b[A-Za-z]*\d+\b/g)].map((m) => m[0]).filter((k) => fact.memberKeys.has(k));
}
