/**
 * Export to a flagd flag definition file: one boolean flag, `off` by default,
 * whose targeting is `if <segment> then on`; referenced segments become
 * `$evaluators` used through `$ref`.
 *
 * flagd's JSON Logic reads an absent attribute as null, and `null < 25`
 * holds: every attribute test is guarded with `!== null`. It has no regular
 * expressions, no lower/upper and no length: those are refused.
 */
import type { AtomCondition, Condition, ExportValue, Subject } from './condition.js';
import type { ExportPlan } from './plan.js';
import { ExportRefusal } from './problems.js';
import { flagdWeights } from '../rollout.js';
import { unreachable } from '../../util/unreachable.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const SYSTEM = 'flagd';

export function flagdDocument(plan: ExportPlan): Json {
  const evaluators: { [key: string]: Json } = {};
  // flagd resolves `$ref`s one evaluator at a time, in file order: a segment comes before those it uses.
  for (const { name, condition } of [...plan.segments].reverse()) evaluators[name] = logic(condition);
  const on = plan.rolloutPercent === undefined ? 'on' : { fractional: fractionalWeights(plan.rolloutPercent) };
  const document: { [key: string]: Json } = {
    $schema: 'https://flagd.dev/schema/v0/flags.json',
    flags: {
      [plan.flagKey]: {
        state: 'ENABLED',
        variants: { on: true, off: false },
        defaultVariant: 'off',
        targeting: { if: [logic(plan.root), on, 'off'] },
      },
    },
  };
  if (plan.segments.length > 0) document.$evaluators = evaluators;
  return document;
}

function fractionalWeights(percent: number): Json {
  const [on, total] = flagdWeights(percent);
  return [
    ['on', on],
    ['off', total - on],
  ];
}

function logic(cond: Condition): Json {
  switch (cond.kind) {
    case 'constant':
      return cond.value;
    case 'all':
      return { and: cond.items.map(logic) };
    case 'any':
      return { or: cond.items.map(logic) };
    default:
      return atom(cond);
  }
}

function atom(cond: AtomCondition): Json {
  if (cond.kind === 'segment') return cond.negated ? { '!': { $ref: cond.name } } : { $ref: cond.name };
  const v = { var: cond.subject.attribute };
  // Strict: flagd's loose `==` takes 0 and false for null.
  const present = { '!==': [v, null] };
  if (cond.kind === 'present') return cond.negated ? { '===': [v, null] } : present;
  refuseTransform(cond.subject);
  const guarded = (test: Json): Json => ({ and: [present, test] });
  const not = (test: Json, negated: boolean): Json => (negated ? { '!': test } : test);
  switch (cond.kind) {
    case 'equals':
      if (cond.value.type === 'semver') return guarded({ sem_ver: [v, cond.negated ? '!=' : '=', cond.value.value] });
      return guarded({ [cond.negated ? '!==' : '===']: [v, literal(cond.value)] });
    case 'order':
      if (cond.value.type === 'semver') return guarded({ sem_ver: [v, cond.op, cond.value.value] });
      return guarded({ [cond.op]: [v, literal(cond.value)] });
    case 'oneOf': {
      if (cond.values.some((x) => x.type === 'semver')) {
        const any = { or: cond.values.map((x) => ({ sem_ver: [v, '=', literal(x)] })) };
        return guarded(not(any, cond.negated));
      }
      return guarded(not({ in: [v, cond.values.map(literal)] }, cond.negated));
    }
    case 'contains':
      return guarded(not({ in: [literal(cond.value), v] }, cond.negated));
    case 'affix':
      return guarded(not({ [cond.op === 'starts' ? 'starts_with' : 'ends_with']: [v, cond.value] }, cond.negated));
    case 'matches':
      throw new ExportRefusal(`${SYSTEM} has no regular expressions, so \`matches\` cannot be exported to it`, { file: cond.file, range: cond.range });
    default:
      return unreachable(cond);
  }
}

function refuseTransform(subject: Subject): void {
  if (subject.transform) {
    throw new ExportRefusal(`${SYSTEM} has no ${subject.transform}(), so it cannot be exported to it`, subject);
  }
}

function literal(value: ExportValue): Json {
  return value.value;
}
