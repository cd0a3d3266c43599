/**
 * A condition (condition.ts) as Segspec text: every atom holds only for a
 * present attribute, which is what Segspec's comparisons do (SPEC §5.3), and
 * `not` appears only over one atom or a segment, so the text's membership is
 * the condition's.
 */
import type { AtomCondition, Condition, ExportValue } from '../export/condition.js';
import { unreachable } from '../../util/unreachable.js';
import { ImportRefusal } from './problems.js';

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function conditionText(cond: Condition, nameOf: (id: string) => string): string {
  switch (cond.kind) {
    case 'constant':
      return cond.value ? 'true' : 'false';
    case 'all':
      return cond.items.map((c) => (c.kind === 'any' ? `(${conditionText(c, nameOf)})` : conditionText(c, nameOf))).join(' and ');
    case 'any':
      // `and` binds tighter than `or`; the parentheses are for the reader.
      return cond.items.map((c) => (c.kind === 'all' ? `(${conditionText(c, nameOf)})` : conditionText(c, nameOf))).join(' or ');
    default:
      return atomText(cond, nameOf);
  }
}

function atomText(cond: AtomCondition, nameOf: (id: string) => string): string {
  if (cond.kind === 'segment') return `${cond.negated ? 'not ' : ''}${nameOf(cond.name)}`;
  const field = attributeName(cond.subject.field);
  const x = cond.subject.transform ? `${cond.subject.transform}(${field})` : field;
  switch (cond.kind) {
    case 'present':
      return `${field} is ${cond.negated ? '' : 'not '}missing`;
    case 'equals':
      return `${x} ${cond.negated ? '!=' : '=='} ${literal(cond.value)}`;
    case 'order':
      return `${x} ${cond.op} ${literal(cond.value)}`;
    case 'oneOf':
      return `${x} ${cond.negated ? 'not in' : 'in'} [${cond.values.map(literal).join(', ')}]`;
    case 'contains':
      return negatable(`${x} contains ${literal(cond.value)}`, cond.negated);
    case 'affix':
      return negatable(`${x} ${cond.op} with ${stringLiteral(cond.value)}`, cond.negated);
    case 'matches':
      return negatable(`${x} matches ${stringLiteral(cond.pattern)}`, cond.negated);
    default:
      return unreachable(cond);
  }
}

function negatable(text: string, negated: boolean): string {
  return negated ? `not (${text})` : text;
}

/** The attribute as a field name; refused when Segspec cannot spell it. */
export function attributeName(attribute: string): string {
  if (!IDENTIFIER.test(attribute)) {
    throw new ImportRefusal(`the attribute '${attribute}' is not a name Segspec can write (letters, digits, _): rename it in the flag system or map it with a context`, '');
  }
  return attribute;
}

/** A segment name made from a key or id: invalid characters become `_`. */
export function segmentName(key: string): string {
  let name = key.replace(/[^A-Za-z0-9_]/g, '_');
  if (!/^[A-Za-z_]/.test(name)) name = `_${name}`;
  if (['and', 'or', 'not', 'in', 'true', 'false', 'today', 'now'].includes(name)) name = `${name}_segment`;
  return name;
}

export function literal(value: ExportValue): string {
  switch (value.type) {
    case 'number': {
      const text = String(value.value);
      if (!/^-?\d+(\.\d+)?$/.test(text)) throw new ImportRefusal(`the number ${text} has no Segspec spelling`, '');
      return text;
    }
    case 'boolean':
      return value.value ? 'true' : 'false';
    case 'date':
    case 'datetime':
      // Segspec's own date and date-time literals (ISO 8601, unquoted).
      return value.value;
    case 'string':
    case 'semver':
      return stringLiteral(value.value);
    default:
      return unreachable(value);
  }
}

export function stringLiteral(text: string): string {
  let out = '"';
  for (const ch of text) {
    const code = ch.codePointAt(0) as number;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}
