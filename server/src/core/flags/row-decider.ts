/**
 * A flag's decision for each row of a table, asking the system as rarely as
 * the flag allows. The system sees only the attributes the flag reads (with
 * those of its prerequisites) and the identity; when the flag does not read
 * the identity (no bucketing, no individual targets), rows alike in what it
 * reads share one decision, found by the rows' column codes without building
 * their contexts.
 */
import type { Column, Table } from '../data/table.js';
import { unreachable } from '../util/unreachable.js';
import { rowContext, type ContextMapping } from './context.js';
import type { FlagDecision, LoadedFlagFile } from './system.js';

/**
 * The attributes a flag's decision reads, with those of the flags it
 * depends on; undefined for a flag the file does not hold.
 */
export function attributesRead(file: LoadedFlagFile, flagKey: string): Set<string> | undefined {
  const byKey = new Map(file.flags.map((f) => [f.key, f]));
  if (!byKey.has(flagKey)) return undefined;
  const read = new Set<string>();
  const seen = new Set<string>();
  const visit = (key: string): void => {
    const flag = byKey.get(key);
    if (!flag || seen.has(key)) return;
    seen.add(key);
    for (const a of flag.attributes) read.add(a);
    for (const p of flag.prerequisites) visit(p);
  };
  visit(flagKey);
  return read;
}

export function rowDecider(file: LoadedFlagFile, flagKey: string, table: Table, mapping: ContextMapping): (row: number) => FlagDecision | undefined {
  const read = attributesRead(file, flagKey);
  if (!read) return () => undefined;
  const cut: ContextMapping = { attributes: new Map([...mapping.attributes].filter(([attribute]) => read.has(attribute))), identity: mapping.identity };
  if (read.has(mapping.identity.attribute)) return (row) => file.evaluate(flagKey, rowContext(table, row, cut));
  const signatures = [...cut.attributes.values()].flatMap((field) => {
    const col = table.byName.get(field);
    return col ? [cellSignature(col)] : [];
  });
  const identity = mapping.identity.field ? table.byName.get(mapping.identity.field) : undefined;
  const known = new Map<string, FlagDecision | undefined>();
  return (row) => {
    let key = identity && identity.missing[row] === 0 ? '1' : '0';
    for (const signature of signatures) key += `|${signature(row)}`;
    if (known.has(key)) return known.get(key);
    const decision = file.evaluate(flagKey, rowContext(table, row, cut));
    known.set(key, decision);
    return decision;
  };
}

/** Text equal for two rows exactly when the column gives them the same attribute value. */
function cellSignature(col: Column): (row: number) => string {
  switch (col.kind) {
    case 'numeric':
    case 'boolean':
      return (row) => (col.missing[row] === 1 ? 'm' : String(col.values[row]));
    case 'dictionary':
      return (row) => (col.missing[row] === 1 ? 'm' : String(col.codes[row]));
    case 'stringList':
      return (row) => (col.missing[row] === 1 ? 'm' : col.itemCodes.subarray(col.offsets[row], col.offsets[row + 1]).join(';'));
    case 'integerList':
      return (row) => (col.missing[row] === 1 ? 'm' : col.itemValues.subarray(col.offsets[row], col.offsets[row + 1]).join(';'));
    default:
      return unreachable(col);
  }
}

/** Whether a row's identity has characters outside ASCII (the SDKs of some systems hash those differently). */
export function nonAsciiIdentity(table: Table, mapping: ContextMapping): (row: number) => boolean {
  const col = mapping.identity.field ? table.byName.get(mapping.identity.field) : undefined;
  if (!col) return () => false;
  switch (col.kind) {
    case 'numeric':
    case 'boolean':
    case 'integerList':
      return () => false;
    case 'dictionary': {
      const wide = col.dictionary.map(isNonAscii);
      return (row) => col.missing[row] === 0 && wide[col.codes[row]];
    }
    case 'stringList': {
      const wide = col.dictionary.map(isNonAscii);
      return (row) => col.missing[row] === 0 && col.itemCodes.subarray(col.offsets[row], col.offsets[row + 1]).some((code) => wide[code]);
    }
    default:
      return unreachable(col);
  }
}

function isNonAscii(text: string): boolean {
  return /[^\x00-\x7f]/.test(text);
}
