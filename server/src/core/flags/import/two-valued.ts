/**
 * Building blocks for importers of systems whose logic is two-valued: a
 * test on an attribute either holds or not, and the system decides what a
 * missing attribute gives. Atoms of the condition IR hold only for a present
 * attribute (condition.ts), so "missing gives true" is spelt `x is missing or
 * atom`, and a negation adds or removes that alternative.
 */
import type { ColumnType } from '../../data/table.js';
import type { Condition, Subject } from '../export/condition.js';
import { all, any } from '../export/condition.js';
import { negateAtom } from '../export/normalize.js';
import { NO_RANGE, subjectOf as attributeSubject } from './atoms.js';

export function subjectOf(attribute: string, fieldType: ColumnType = 'string', transform?: Subject['transform']): Subject {
  const subject = attributeSubject(attribute, fieldType);
  return transform ? { ...subject, transform } : subject;
}

/** The attribute is missing (`missing` true) or present. */
export function presence(attribute: string, missing: boolean): Condition {
  return { kind: 'present', subject: subjectOf(attribute), negated: missing };
}

/** `rel` (which holds only for a present attribute) or, when `missing` is true, the attribute is missing. */
export function withMissing(attribute: string, missing: boolean, rel: Condition): Condition {
  return missing ? any([presence(attribute, true), rel]) : rel;
}

export function segmentRef(name: string): Condition {
  return { kind: 'segment', name, negated: false, file: '', range: NO_RANGE };
}

export function matches(attribute: string, pattern: string, fieldType: ColumnType = 'string'): Condition {
  return { kind: 'matches', subject: subjectOf(attribute, fieldType), pattern, negated: false, file: '', range: NO_RANGE };
}

/** The two-valued negation: true exactly where `cond` is false (a missing attribute fails every atom). */
export function negate(cond: Condition): Condition {
  switch (cond.kind) {
    case 'all':
      return any(cond.items.map(negate));
    case 'any': {
      // (missing or rel) is false exactly when present and not rel.
      const [first, second] = cond.items;
      if (cond.items.length === 2 && first.kind === 'present' && first.negated && isAttributeAtom(second) && second.subject.attribute === first.subject.attribute) {
        return negateAtom(second, second.subject);
      }
      return all(cond.items.map(negate));
    }
    case 'constant':
      return { kind: 'constant', value: !cond.value };
    case 'segment':
    case 'present':
      return { ...cond, negated: !cond.negated };
    default:
      return any([{ kind: 'present', subject: { ...cond.subject, transform: undefined }, negated: true }, negateAtom(cond, cond.subject)]);
  }
}

function isAttributeAtom(cond: Condition): cond is Extract<Condition, { subject: Subject }> {
  return cond.kind !== 'all' && cond.kind !== 'any' && cond.kind !== 'constant' && cond.kind !== 'segment' && cond.kind !== 'present';
}

export function pointer(key: string | number): string {
  return String(key).replace(/~/g, '~0').replace(/\//g, '~1');
}
