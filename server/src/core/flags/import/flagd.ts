/**
 * Import from a flagd flag definition file: who a boolean flag resolves to
 * `true` for, as `@openfeature/flagd-core` 4.0 resolves it. The targeting is
 * JSON Logic run by json-logic-engine: `if` chains pick a variant name, a
 * `null` result picks the default variant; conditions use its truthiness and
 * its loose comparisons, where a missing `var` is null (`null < 25` holds,
 * `null == 0` too). What a missing attribute gives for each test is computed
 * by running flagd's own engine on the test; what a present one gives is
 * written for the attribute's type: its field's type when the caller knows
 * the dataset (`--dataset`), else read from the constants it is compared
 * with (a number, a text, a boolean, a version). The context carries a date
 * as `YYYY-MM-DD` and a date-time as ISO 8601 text, which json-logic-engine
 * orders as text; a boolean's tests are run on `true` and `false` by the
 * engine itself; a list is an array (`in` looks for an item).
 *
 * `$evaluators` used through `$ref` become Segspec segments, when replacing
 * them the way flagd-core does (as text, in file order) gives the same logic.
 */
import { all, any, type Condition, type ExportValue, type OrderOp } from '../export/condition.js';
import { flagdLogicEngine } from '../systems/flagd.js';
import type { ColumnType } from '../../data/table.js';
import { unreachable } from '../../util/unreachable.js';
import type { AttributeFields, AttributeTypes } from './atoms.js';
import { ImportRefusal, type ImportedFlag } from './problems.js';
import { temporalOfText, textOrder, textStartsWith } from './text-order.js';
import { matches, negate, pointer, segmentRef, subjectOf, withMissing } from './two-valued.js';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };
/** What the context carries for an attribute: the first four are read from constants, the rest only from a field's type. */
type Kind = 'number' | 'string' | 'boolean' | 'semver' | 'date' | 'datetime' | 'list<string>' | 'list<integer>';

export interface FlagdImportOptions {
  /** The dataset's field types, by field name. */
  types?: AttributeTypes;
  /** Attribute → field, where the names differ. */
  context?: AttributeFields;
}

const SYSTEM = 'flagd';
const COMPARISONS = new Set(['==', '===', '!=', '!==', '<', '<=', '>', '>=']);
/** Most substrings (or prefixes) a value may have to be written as a list. */
const MAX_ENUMERATED = 64;

/** JavaScript's `String.prototype.trim` white space, as an RE2 class. */
const WS = '[\\s\\x{0b}\\x{a0}\\x{1680}\\x{2000}-\\x{200a}\\x{2028}\\x{2029}\\x{202f}\\x{205f}\\x{3000}\\x{feff}]';
const IDENTIFIER = '(?:0|[1-9]\\d*|\\d*[a-zA-Z-][a-zA-Z0-9-]*)';
const STRICT_VERSION = `v?(?:0|[1-9]\\d*)\\.(?:0|[1-9]\\d*)\\.(?:0|[1-9]\\d*)(?:-${IDENTIFIER}(?:\\.${IDENTIFIER})*)?(?:\\+[a-zA-Z0-9-]+(?:\\.[a-zA-Z0-9-]+)*)?`;
/** The texts flagd's `sem_ver` reads as versions: one leading v/V dropped, then node-semver's strict syntax (trimmed), or `1` / `1.2` coerced. */
const FLAGD_VERSION = `^[vV]?(?:${WS}*${STRICT_VERSION}${WS}*|\\d+(?:\\.\\d+)?)$`;

export function importFlagd(text: string, flagKey: string | undefined, options: FlagdImportOptions = {}): ImportedFlag {
  let file: JsonObject;
  try {
    file = asObject(JSON.parse(text) as Json, '');
  } catch (e) {
    if (e instanceof ImportRefusal) throw e;
    throw new ImportRefusal(`the file is not JSON: ${(e as Error).message}`, '');
  }
  const flags = asObject(file.flags, '/flags');
  const keys = Object.keys(flags);
  const key = flagKey ?? (keys.length === 1 ? keys[0] : undefined);
  if (key === undefined) throw new ImportRefusal(`the file has ${keys.length} flags; name one with --flag (${keys.slice(0, 10).join(', ')})`, '/flags');
  if (!(key in flags)) throw new ImportRefusal(`the file has no flag '${key}'`, '/flags');
  const at = `/flags/${pointer(key)}`;
  const flag = asObject(flags[key], at);
  const evaluators = file.$evaluators === undefined ? {} : asObject(file.$evaluators, '/$evaluators');
  return new FlagReader(key, flag, at, evaluators, text, options).read();
}

class FlagReader {
  private readonly variants: Map<string, boolean>;
  private readonly defaultVariant: string | undefined;
  private readonly kinds = new Map<string, { kind: Kind; at: string }>();
  private readonly used = new Map<string, Condition>();
  private readonly reading = new Set<string>();

  constructor(
    private readonly key: string,
    private readonly flag: JsonObject,
    private readonly at: string,
    private readonly evaluators: JsonObject,
    private readonly fileText: string,
    private readonly options: FlagdImportOptions,
  ) {
    const variants = asObject(flag.variants, `${at}/variants`);
    this.variants = new Map(
      Object.entries(variants).map(([name, value]) => {
        if (typeof value !== 'boolean') throw new ImportRefusal(`${SYSTEM}: variant \`${name}\` is not a boolean; a segment says who gets a boolean flag's \`true\``, `${at}/variants/${pointer(name)}`);
        return [name, value];
      }),
    );
    this.defaultVariant = typeof flag.defaultVariant === 'string' ? flag.defaultVariant : undefined;
  }

  read(): ImportedFlag {
    const key = this.key;
    if (this.flag.state === 'DISABLED') return { key, condition: { kind: 'constant', value: false }, groups: [] };
    const targeting = this.flag.targeting;
    let condition: Condition;
    if (targeting === undefined || targeting === null || (typeof targeting === 'object' && !Array.isArray(targeting) && Object.keys(targeting).length === 0)) {
      condition = this.on(null);
    } else {
      const here = `${this.at}/targeting`;
      this.checkReferences(targeting, here);
      this.collectKinds(this.inline(targeting, here, []), here);
      const cases = this.results(targeting, here);
      condition = any(cases.map((c) => all([c.when, this.on(c.value)])));
    }
    return { key, condition, groups: [...this.used.entries()].map(([id, c]) => ({ id, condition: c })) };
  }

  /** Whether a targeting result gives `true`: its text names the variant, null the default one; an unknown variant is an error, which the SDK answers with the caller's default (false). */
  private on(result: Json): Condition {
    const name = result === null ? this.defaultVariant : String(result);
    return { kind: 'constant', value: name !== undefined && this.variants.get(name) === true };
  }

  /** flagd-core replaces each `{"$ref": name}` as text, evaluator by evaluator in file order; refused when that differs from replacing them all. */
  private checkReferences(targeting: Json, at: string): void {
    const parsed = JSON.parse(this.fileText) as JsonObject;
    let transformed = JSON.stringify(parsed);
    for (const name of Object.keys(this.evaluators)) transformed = transformed.split(`{"$ref":${JSON.stringify(name)}}`).join(JSON.stringify(this.evaluators[name]));
    const core = (JSON.parse(transformed) as { flags: JsonObject }).flags[this.key] as JsonObject;
    const ours = this.inline(targeting, at, []);
    if (JSON.stringify(core.targeting) !== JSON.stringify(ours)) {
      throw new ImportRefusal(`${SYSTEM}: a \`$ref\` in the targeting is not replaced by flagd (an evaluator used by an earlier one, or a \`$ref\` with other keys)`, at);
    }
    try {
      flagdLogicEngine().build(ours as never);
    } catch (e) {
      throw new ImportRefusal(`${SYSTEM}: the targeting is not valid JSON Logic for flagd (${(e as Error).message ?? String(e)})`, at);
    }
  }

  private inline(node: Json, at: string, trail: string[]): Json {
    if (Array.isArray(node)) return node.map((n, i) => this.inline(n, `${at}/${i}`, trail));
    if (node === null || typeof node !== 'object') return node;
    const ref = refName(node);
    if (ref !== undefined) {
      if (!(ref in this.evaluators)) throw new ImportRefusal(`${SYSTEM}: \`$ref\` '${ref}' names no entry of \`$evaluators\``, at);
      if (trail.includes(ref)) throw new ImportRefusal(`${SYSTEM}: evaluator '${ref}' refers to itself`, `/$evaluators/${pointer(ref)}`);
      return this.inline(this.evaluators[ref], `/$evaluators/${pointer(ref)}`, [...trail, ref]);
    }
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, this.inline(v, `${at}/${pointer(k)}`, trail)]));
  }

  // ------------------------------------------------------------ types

  private collectKinds(node: Json, at: string): void {
    if (Array.isArray(node)) {
      node.forEach((n, i) => this.collectKinds(n, `${at}/${i}`));
      return;
    }
    if (node === null || typeof node !== 'object') return;
    for (const [op, raw] of Object.entries(node)) {
      const args = Array.isArray(raw) ? raw : [raw];
      const here = `${at}/${pointer(op)}`;
      if (COMPARISONS.has(op)) {
        const variable = args.map(varName).find((v) => v !== undefined);
        for (const arg of args) if (variable !== undefined && arg !== null && typeof arg !== 'object') this.setKind(variable, kindOf(arg), here);
      } else if (op === 'in' && args.length === 2) {
        const needle = varName(args[0]);
        if (needle !== undefined && typeof args[1] === 'string') this.setKind(needle, 'string', here);
        if (needle !== undefined && Array.isArray(args[1])) for (const item of args[1]) if (item !== null && typeof item !== 'object') this.setKind(needle, kindOf(item), here);
      } else if ((op === 'starts_with' || op === 'ends_with') && args.length === 2) {
        for (const arg of args) {
          const v = varName(arg);
          if (v !== undefined) this.setKind(v, 'string', here);
        }
      } else if (op === 'sem_ver') {
        const v = varName(args[0]);
        if (v !== undefined) this.setKind(v, 'semver', here);
      }
      this.collectKinds(raw, here);
    }
  }

  private setKind(attribute: string, kind: Kind, at: string): void {
    // A field's type, when known, says what the context carries.
    if (this.typeOf(attribute) !== undefined) return;
    const known = this.kinds.get(attribute);
    if (known && known.kind !== kind) throw new ImportRefusal(`${SYSTEM}: '${attribute}' is compared with a ${known.kind} at ${known.at} and with a ${kind} here; one field cannot be both`, at);
    if (!known) this.kinds.set(attribute, { kind, at });
  }

  private typeOf(attribute: string): ColumnType | undefined {
    return this.options.types?.get(this.options.context?.get(attribute) ?? attribute);
  }

  private kind(attribute: string): Kind | undefined {
    const type = this.typeOf(attribute);
    if (type === undefined) return this.kinds.get(attribute)?.kind;
    switch (type) {
      case 'integer':
      case 'number':
        return 'number';
      case 'string':
      case 'enum':
        return 'string';
      case 'boolean':
      case 'semver':
      case 'date':
      case 'datetime':
      case 'list<string>':
      case 'list<integer>':
        return type;
      default:
        return unreachable(type);
    }
  }

  private typeRefusal(op: string, attribute: string, at: string): ImportRefusal {
    return new ImportRefusal(`${SYSTEM}: \`${op}\` on the ${this.kind(attribute) ?? 'string'} attribute '${attribute}' is not something Segspec can write for that type`, at);
  }

  /**
   * A test of a boolean attribute, run by flagd's engine on `true` and on
   * `false` (and on a missing value): the values it holds for. Refused when
   * the engine fails the evaluation on one of them.
   */
  private onBoolean(node: JsonObject, attribute: string, at: string): Condition {
    const missing = this.missingGives(node, at);
    const run = flagdLogicEngine().build(node as never) as (data: object) => unknown;
    const holds = [true, false].filter((b) => {
      try {
        const value = run({ [attribute]: b, $flagd: { flagKey: this.key, timestamp: 0 } });
        return Array.isArray(value) ? value.length > 0 : !!value;
      } catch {
        throw new ImportRefusal(`${SYSTEM}: this test fails the whole evaluation when the boolean '${attribute}' is ${String(b)}, which a segment cannot express`, at);
      }
    });
    const subject = subjectOf(attribute, 'boolean');
    const present: Condition = holds.length === 2 ? { kind: 'present', subject, negated: false } : any(holds.map((b): Condition => ({ kind: 'equals', subject, value: { type: 'boolean', value: b }, negated: false })));
    return withMissing(attribute, missing, present);
  }

  /** The one attribute the test's arguments read, when it is a boolean. */
  private booleanArgument(args: Json[]): string | undefined {
    const names = [...new Set(args.map(varName).filter((v): v is string => v !== undefined))];
    return names.length === 1 && !names[0].startsWith('$flagd') && this.kind(names[0]) === 'boolean' ? names[0] : undefined;
  }

  // ------------------------------------------------------------ results

  /** The targeting's possible results, each with when it is reached. */
  private results(node: Json, at: string): Array<{ when: Condition; value: Json }> {
    if (node === null || typeof node !== 'object') return [{ when: { kind: 'constant', value: true }, value: node }];
    if (Array.isArray(node)) throw new ImportRefusal(`${SYSTEM}: a list is not a variant name`, at);
    const [op, ...more] = Object.keys(node);
    if (more.length > 0 || op === undefined) throw new ImportRefusal(`${SYSTEM}: a JSON Logic operation has one key`, at);
    const args = node[op];
    const here = `${at}/${pointer(op)}`;
    if (op === 'if') {
      const chain = this.ifChain(args, here);
      const out: Array<{ when: Condition; value: Json }> = [];
      for (const branch of chain) for (const r of this.results(branch.then, branch.at)) out.push({ when: all([branch.when, r.when]), value: r.value });
      return out;
    }
    if (op === 'fractional') return this.fractional(args, here);
    if (COMPARISONS.has(op) || op === '!' || op === '!!' || op === 'in') {
      // These give true or false, which name the variants "true" and "false".
      const t = this.truth(node, at);
      return [
        { when: t, value: true },
        { when: negate(t), value: false },
      ];
    }
    throw new ImportRefusal(`${SYSTEM}: \`${op}\` as the targeting's result is not something Segspec can read (expected \`if\` or a variant name)`, here);
  }

  /** json-logic-engine's `if`: one argument is its value, else pairs of test and result, then an else (null when absent). */
  private ifChain(raw: Json, at: string): Array<{ when: Condition; then: Json; at: string }> {
    if (!Array.isArray(raw)) throw new ImportRefusal(`${SYSTEM}: \`if\` takes a list`, at);
    if (raw.length === 1) return [{ when: { kind: 'constant', value: true }, then: raw[0], at: `${at}/0` }];
    if (raw.length < 2) return [{ when: { kind: 'constant', value: true }, then: null, at }];
    const items = raw.length % 2 === 1 ? raw : [...raw, null];
    const out: Array<{ when: Condition; then: Json; at: string }> = [];
    let rest: Condition = { kind: 'constant', value: true };
    for (let i = 0; i + 1 < items.length; i += 2) {
      const test = this.truth(items[i], `${at}/${i}`);
      out.push({ when: all([rest, test]), then: items[i + 1], at: `${at}/${i + 1}` });
      rest = all([rest, negate(test)]);
    }
    out.push({ when: rest, then: items[items.length - 1], at: `${at}/${items.length - 1}` });
    return out;
  }

  /** `fractional` with every weight on one variant: that variant for any context with a targeting key (flagd needs one to bucket), else null. */
  private fractional(raw: Json, at: string): Array<{ when: Condition; value: Json }> {
    const buckets = Array.isArray(raw) ? raw : [];
    const total = buckets.reduce<number>((sum, b) => sum + (Array.isArray(b) && typeof b[1] === 'number' ? Math.max(0, b[1]) : Array.isArray(b) && b.length === 1 ? 1 : 0), 0);
    const full = buckets.find((b) => Array.isArray(b) && total > 0 && (b.length === 1 ? 1 : typeof b[1] === 'number' ? b[1] : 0) === total);
    if (!Array.isArray(buckets[0]) || !Array.isArray(full) || buckets.some((b) => !Array.isArray(b) || (b.length === 2 && !Number.isInteger(b[1])))) {
      throw new ImportRefusal(`${SYSTEM}: \`fractional\` splits contexts by a hash, which a segment cannot express (use segspec rollout)`, at);
    }
    const hasKey: Condition = { kind: 'equals', subject: subjectOf('targetingKey'), value: text(''), negated: true };
    return [
      { when: hasKey, value: full[0] ?? null },
      { when: negate(hasKey), value: null },
    ];
  }

  // ------------------------------------------------------------ conditions

  /** When the node's value is truthy for json-logic-engine (an empty list is falsy). */
  private truth(node: Json, at: string): Condition {
    if (node === null || typeof node !== 'object') return { kind: 'constant', value: !!node };
    if (Array.isArray(node)) return { kind: 'constant', value: node.length > 0 };
    const ref = refName(node);
    if (ref !== undefined) return this.reference(ref, at);
    const [op, ...more] = Object.keys(node);
    if (more.length > 0 || op === undefined) throw new ImportRefusal(`${SYSTEM}: a JSON Logic operation has one key`, at);
    const raw = node[op];
    const args = Array.isArray(raw) ? raw : [raw];
    const here = `${at}/${pointer(op)}`;
    const bool = COMPARISONS.has(op) || ['in', 'starts_with', 'ends_with', 'sem_ver'].includes(op) ? this.booleanArgument(args) : undefined;
    if (bool !== undefined) return this.onBoolean(node, this.variable({ var: bool }, here), here);
    switch (op) {
      case 'var':
        return this.truthyVar(this.variable(node, at), at);
      case '!':
        return negate(this.truth(args[0] ?? null, `${here}${Array.isArray(raw) ? '/0' : ''}`));
      case '!!':
        return this.truth(args[0] ?? null, `${here}${Array.isArray(raw) ? '/0' : ''}`);
      case 'and':
      case 'or': {
        if (args.length === 0) throw new ImportRefusal(`${SYSTEM}: \`${op}\` with no arguments is not something Segspec can read`, here);
        const items = args.map((a, i) => this.truth(a, `${here}/${i}`));
        return op === 'and' ? all(items) : any(items);
      }
      case 'if': {
        const chain = this.ifChain(raw, here);
        return any(chain.map((b) => all([b.when, this.truth(b.then, b.at)])));
      }
      case 'in':
        return this.inTest(node, args, here);
      case 'starts_with':
      case 'ends_with':
        return this.affix(node, op, args, here);
      case 'sem_ver':
        return this.semver(node, args, here);
      default:
        if (COMPARISONS.has(op)) return this.comparison(node, op, args, here);
        throw new ImportRefusal(`${SYSTEM}: the operation \`${op}\` is not something Segspec can read`, here);
    }
  }

  private reference(name: string, at: string): Condition {
    if (!(name in this.evaluators)) throw new ImportRefusal(`${SYSTEM}: \`$ref\` '${name}' names no entry of \`$evaluators\``, at);
    if (!this.used.has(name)) {
      if (this.reading.has(name)) throw new ImportRefusal(`${SYSTEM}: evaluator '${name}' refers to itself`, `/$evaluators/${pointer(name)}`);
      this.reading.add(name);
      const condition = this.truth(this.evaluators[name], `/$evaluators/${pointer(name)}`);
      this.reading.delete(name);
      this.used.set(name, condition);
    }
    return segmentRef(name);
  }

  private variable(node: JsonObject, at: string): string {
    const name = varName(node);
    if (name === undefined) throw new ImportRefusal(`${SYSTEM}: \`var\` with a default or a computed name is not something Segspec can read`, at);
    if (name.startsWith('$flagd')) throw new ImportRefusal(`${SYSTEM}: \`${name}\` is not an attribute of the context`, at);
    if (name.includes('.')) throw new ImportRefusal(`${SYSTEM}: the nested attribute '${name}' is not something Segspec can read`, at);
    return name;
  }

  /** A bare attribute as a condition: truthy as JavaScript reads it (a boolean when nothing else says its type). */
  private truthyVar(attribute: string, at: string): Condition {
    const kind = this.kind(attribute) ?? 'boolean';
    switch (kind) {
      case 'boolean':
        return { kind: 'equals', subject: subjectOf(attribute, 'boolean'), value: { type: 'boolean', value: true }, negated: false };
      case 'number':
        return { kind: 'equals', subject: subjectOf(attribute, 'number'), value: { type: 'number', value: 0 }, negated: true };
      case 'string':
        return { kind: 'equals', subject: subjectOf(attribute), value: text(''), negated: true };
      case 'date':
      case 'datetime':
        // A date's text is never empty.
        return { kind: 'present', subject: subjectOf(attribute, kind), negated: false };
      case 'list<string>':
      case 'list<integer>':
        // json-logic-engine reads an empty list as false.
        return { kind: 'equals', subject: subjectOf(attribute, kind, 'len'), value: { type: 'number', value: 0 }, negated: true };
      case 'semver':
        throw new ImportRefusal(`${SYSTEM}: a version used as a condition is not something Segspec can read`, at);
      default:
        return unreachable(kind);
    }
  }

  /** What flagd gives the test when the attribute is missing (null), by running its engine; refused when that fails the evaluation. */
  private missingGives(node: JsonObject, at: string): boolean {
    try {
      const run = flagdLogicEngine().build(node as never) as (data: object) => unknown;
      const value = run({ $flagd: { flagKey: this.key, timestamp: 0 } });
      return Array.isArray(value) ? value.length > 0 : !!value;
    } catch {
      throw new ImportRefusal(`${SYSTEM}: this test fails the whole evaluation when its attribute is missing, which a segment cannot express`, at);
    }
  }

  private comparison(node: JsonObject, op: string, args: Json[], at: string): Condition {
    const vars = args.map(varName);
    const count = vars.filter((v) => v !== undefined).length;
    if (count === 0 && args.every((a) => a === null || typeof a !== 'object')) return { kind: 'constant', value: this.missingGives(node, at) };
    if (count !== 1 || args.some((a, i) => vars[i] === undefined && a !== null && typeof a === 'object')) {
      throw new ImportRefusal(`${SYSTEM}: \`${op}\` between anything but one attribute and written values is not something Segspec can read`, at);
    }
    const index = vars.findIndex((v) => v !== undefined);
    const attribute = this.variable(args[index] as JsonObject, `${at}/${index}`);
    const constants = args.filter((_, i) => i !== index);
    const missing = this.missingGives(node, at);
    if (constants.some((c) => c === null)) {
      if ((op === '===' || op === '!==') && args.length === 2) return { kind: 'present', subject: subjectOf(attribute), negated: op === '===' };
      throw new ImportRefusal(`${SYSTEM}: \`${op}\` with null is not something Segspec can read (use === or !==)`, at);
    }
    const kind = this.kind(attribute) ?? 'string';
    const subject = subjectOf(attribute, kind);
    const equality = op === '==' || op === '===' || op === '!=' || op === '!==';
    const strict = op === '===' || op === '!==';
    if (equality && args.length !== 2) throw new ImportRefusal(`${SYSTEM}: \`${op}\` with more than two arguments is not something Segspec can read`, at);
    const carried = KIND_CARRIES[kind];
    if (constants.some((c) => typeof c !== carried)) {
      // A value of another type is never strictly equal to the attribute's.
      if (strict) return withMissing(attribute, missing, { kind: 'constant', value: op === '!==' });
      // Loosely, json-logic-engine compares as numbers (and fails the evaluation on a text that is not one).
      if (kind !== 'number') throw this.typeRefusal(op, attribute, at);
    }
    const numberOf = (c: Json): number => {
      const n = Number(c);
      if (Number.isNaN(n)) throw new ImportRefusal(`${SYSTEM}: \`${op}\` compares the number '${attribute}' with ${JSON.stringify(c)}, which is not a number: flagd fails the whole evaluation`, at);
      return n;
    };
    const value = (c: Json): ExportValue => (kind === 'number' ? valueOf(numberOf(c)) : valueOf(c as string | number | boolean));
    if (equality) {
      if (kind === 'semver') throw new ImportRefusal(`${SYSTEM}: comparing the version '${attribute}' as a text is not something Segspec can read`, at);
      if (kind === 'list<string>' || kind === 'list<integer>') throw this.typeRefusal(op, attribute, at);
      const negated = op.startsWith('!');
      if (kind === 'date' || kind === 'datetime') {
        const v = temporalOfText(kind, constants[0] as string);
        return withMissing(attribute, missing, v ? { kind: 'equals', subject, value: v, negated } : negated ? { kind: 'present', subject, negated: false } : { kind: 'constant', value: false });
      }
      return withMissing(attribute, missing, { kind: 'equals', subject, value: value(constants[0]), negated });
    }
    if (kind === 'date' || kind === 'datetime') {
      // Two texts compare as texts; a chain of three is refused (the engine's chains coerce to numbers).
      if (args.length !== 2) throw this.typeRefusal(op, attribute, at);
      const order = index === 0 ? (op as OrderOp) : FLIPPED[op as OrderOp];
      return withMissing(attribute, missing, textOrder(kind, subject, order, constants[0] as string));
    }
    if (kind !== 'number') throw new ImportRefusal(`${SYSTEM}: ordering '${attribute}' as a ${kind} is not something Segspec can read`, at);
    // A chain a < b < c: each neighbouring pair holds.
    const parts: Condition[] = [];
    for (let i = 0; i + 1 < args.length; i++) {
      const left = args[i];
      const right = args[i + 1];
      if (i === index) parts.push({ kind: 'order', subject, op: op as OrderOp, value: value(right) });
      else if (i + 1 === index) parts.push({ kind: 'order', subject, op: FLIPPED[op as OrderOp], value: value(left) });
      else if (!(compare(op as OrderOp, numberOf(left), numberOf(right)))) return withMissing(attribute, missing, { kind: 'constant', value: false });
    }
    return withMissing(attribute, missing, all(parts));
  }

  private inTest(node: JsonObject, args: Json[], at: string): Condition {
    if (args.length !== 2) throw new ImportRefusal(`${SYSTEM}: \`in\` takes two arguments`, at);
    const [needle, haystack] = args;
    const missing = this.missingGives(node, at);
    const needleVar = varName(needle);
    const haystackVar = varName(haystack);
    if (needleVar !== undefined && haystackVar === undefined) {
      const attribute = this.variable(needle as JsonObject, `${at}/0`);
      const kind = this.kind(attribute) ?? 'string';
      if (kind === 'list<string>' || kind === 'list<integer>') {
        // A list is in no written list (includes compares objects by identity); in a text, its items joined by commas would be looked for.
        if (Array.isArray(haystack)) return withMissing(attribute, missing, { kind: 'constant', value: false });
        throw this.typeRefusal('in', attribute, at);
      }
      let values: Array<string | number | boolean>;
      if (Array.isArray(haystack)) {
        values = haystack.filter((h): h is string | number | boolean => h !== null && typeof h === KIND_CARRIES[kind]);
      } else if (typeof haystack === 'string') {
        // A number is looked for as its text, which Segspec cannot say.
        if (kind === 'number') throw this.typeRefusal('in', attribute, at);
        values = substrings(haystack, at);
      } else {
        throw new ImportRefusal(`${SYSTEM}: \`in\` needs a list or a text to look in`, `${at}/1`);
      }
      if (kind === 'date' || kind === 'datetime') {
        const hits = [...new Set(values.map(String))].flatMap((v) => temporalOfText(kind, v) ?? []);
        return withMissing(attribute, missing, hits.length === 0 ? { kind: 'constant', value: false } : { kind: 'oneOf', subject: subjectOf(attribute, kind), values: hits, negated: false });
      }
      if (kind === 'semver') {
        const texts = [...new Set(values.map(String))];
        return withMissing(attribute, missing, texts.length === 0 ? { kind: 'constant', value: false } : matches(attribute, `^(?:${texts.map(escape).join('|')})$`, 'semver'));
      }
      const distinct = [...new Set(values)];
      const isIn: Condition = distinct.length === 0 ? { kind: 'constant', value: false } : { kind: 'oneOf', subject: subjectOf(attribute, kind), values: distinct.map(valueOf), negated: false };
      return withMissing(attribute, missing, isIn);
    }
    if (haystackVar !== undefined && needleVar === undefined && needle !== null && typeof needle !== 'object') {
      const attribute = this.variable(haystack as JsonObject, `${at}/1`);
      const kind = this.kind(attribute);
      const never: Condition = { kind: 'constant', value: false };
      switch (kind) {
        case undefined:
          return withMissing(attribute, missing, { kind: 'contains', subject: subjectOf(attribute), value: valueOf(needle), negated: false });
        case 'string':
          // String.prototype.includes looks for the needle's text.
          return withMissing(attribute, missing, { kind: 'contains', subject: subjectOf(attribute), value: text(String(needle)), negated: false });
        case 'list<string>':
          return withMissing(attribute, missing, typeof needle === 'string' ? { kind: 'contains', subject: subjectOf(attribute, kind), value: text(needle), negated: false } : never);
        case 'list<integer>':
          return withMissing(attribute, missing, typeof needle === 'number' && Number.isSafeInteger(needle) ? { kind: 'contains', subject: subjectOf(attribute, kind), value: valueOf(needle), negated: false } : never);
        case 'number':
        case 'boolean':
        case 'semver':
        case 'date':
        case 'datetime':
          throw this.typeRefusal('in', attribute, at);
        default:
          return unreachable(kind);
      }
    }
    throw new ImportRefusal(`${SYSTEM}: \`in\` between anything but one attribute and a written value is not something Segspec can read`, at);
  }

  private affix(node: JsonObject, op: 'starts_with' | 'ends_with', args: Json[], at: string): Condition {
    if (args.length !== 2) return { kind: 'constant', value: false };
    const [a, b] = args;
    const missing = this.missingGives(node, at);
    const place = op === 'starts_with' ? 'starts' : 'ends';
    if (varName(a) !== undefined && typeof b === 'string') {
      const attribute = this.variable(a as JsonObject, `${at}/0`);
      const kind = this.kind(attribute) ?? 'string';
      // flagd answers null unless both are texts.
      if (KIND_CARRIES[kind] !== 'string') return withMissing(attribute, missing, { kind: 'constant', value: false });
      if (kind === 'date' || kind === 'datetime') {
        if (place !== 'starts') throw this.typeRefusal(op, attribute, at);
        return withMissing(attribute, missing, textStartsWith(kind, subjectOf(attribute, kind), b));
      }
      return withMissing(attribute, missing, { kind: 'affix', subject: subjectOf(attribute, kind), op: place, value: b, negated: false });
    }
    if (typeof a === 'string' && varName(b) !== undefined) {
      // A written text starts with the attribute: the attribute is one of its prefixes.
      const attribute = this.variable(b as JsonObject, `${at}/1`);
      const kind = this.kind(attribute) ?? 'string';
      if (KIND_CARRIES[kind] !== 'string') return withMissing(attribute, missing, { kind: 'constant', value: false });
      if (kind !== 'string') throw this.typeRefusal(op, attribute, at);
      const chars = [...a];
      if (chars.length + 1 > MAX_ENUMERATED) throw new ImportRefusal(`${SYSTEM}: \`${op}\` of a written text longer than ${MAX_ENUMERATED - 1} characters by an attribute is not something Segspec can write`, at);
      const parts = chars.map((_, i) => (place === 'starts' ? chars.slice(0, i).join('') : chars.slice(chars.length - i).join('')));
      parts.push(a);
      return withMissing(attribute, missing, { kind: 'oneOf', subject: subjectOf(attribute), values: [...new Set(parts)].map(text), negated: false });
    }
    if (typeof a === 'string' && typeof b === 'string') return { kind: 'constant', value: place === 'starts' ? a.startsWith(b) : a.endsWith(b) };
    throw new ImportRefusal(`${SYSTEM}: \`${op}\` between anything but one attribute and a written text is not something Segspec can read`, at);
  }

  private semver(node: JsonObject, args: Json[], at: string): Condition {
    if (args.length !== 3 || varName(args[0]) === undefined) throw new ImportRefusal(`${SYSTEM}: \`sem_ver\` other than [attribute, operator, version] is not something Segspec can read`, at);
    const attribute = this.variable(args[0] as JsonObject, `${at}/0`);
    const op = String(args[1]);
    const expected = flagdVersion(args[2]);
    const missing = this.missingGives(node, at);
    const kind = this.kind(attribute) ?? 'semver';
    // A date's or date-time's text is never a version flagd reads (null).
    if (kind === 'date' || kind === 'datetime') return withMissing(attribute, missing, { kind: 'constant', value: false });
    if (kind !== 'semver') throw this.typeRefusal('sem_ver', attribute, at);
    if (!expected) return withMissing(attribute, missing, { kind: 'constant', value: false });
    if (op === '^' || op === '~') throw new ImportRefusal(`${SYSTEM}: \`sem_ver\` with \`${op}\` (same major${op === '~' ? ' and minor' : ''}) is not something Segspec can read`, `${at}/1`);
    const subject = subjectOf(attribute, 'semver');
    const v: ExportValue = { type: 'semver', value: expected };
    let relation: Condition;
    switch (op) {
      case '=':
        relation = all([{ kind: 'order', subject, op: '>=', value: v }, { kind: 'order', subject, op: '<=', value: v }]);
        break;
      case '!=':
        relation = any([{ kind: 'order', subject, op: '<', value: v }, { kind: 'order', subject, op: '>', value: v }]);
        break;
      case '<':
      case '<=':
      case '>':
      case '>=':
        relation = { kind: 'order', subject, op, value: v };
        break;
      default:
        // flagd answers null for an operator it does not know.
        return withMissing(attribute, missing, { kind: 'constant', value: false });
    }
    // Only texts flagd reads as versions compare; others give null.
    return withMissing(attribute, missing, all([matches(attribute, FLAGD_VERSION, 'semver'), relation]));
  }
}

/** The JavaScript type the context carries for each kind (lists are objects: never equal to a written value). */
const KIND_CARRIES: Record<Kind, 'number' | 'string' | 'boolean' | 'object'> = {
  number: 'number',
  string: 'string',
  boolean: 'boolean',
  semver: 'string',
  date: 'string',
  datetime: 'string',
  'list<string>': 'object',
  'list<integer>': 'object',
};

const FLIPPED: Record<OrderOp, OrderOp> = { '<': '>', '<=': '>=', '>': '<', '>=': '<=' };

function compare(op: OrderOp, a: number, b: number): boolean {
  switch (op) {
    case '<':
      return a < b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '>=':
      return a >= b;
  }
}

/** The version flagd reads from a written value, in full (`1.2` is `1.2.0`), or undefined. */
function flagdVersion(raw: Json): string | undefined {
  const textValue = String(raw).replace(/^[vV]/, '');
  const m = /^\s*v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?\s*$/.exec(textValue);
  if (m) return `${m[1]}.${m[2]}.${m[3]}${m[4] ? `-${m[4]}` : ''}`;
  const short = /^(\d+)(?:\.(\d+))?$/.exec(textValue);
  return short ? `${Number(short[1])}.${Number(short[2] ?? 0)}.0` : undefined;
}

function refName(node: JsonObject): string | undefined {
  const keys = Object.keys(node);
  return keys.length === 1 && keys[0] === '$ref' && typeof node.$ref === 'string' ? node.$ref : undefined;
}

function varName(node: Json): string | undefined {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
  const keys = Object.keys(node);
  if (keys.length !== 1 || keys[0] !== 'var') return undefined;
  const arg = node.var;
  const name = Array.isArray(arg) ? (arg.length === 1 ? arg[0] : undefined) : arg;
  return typeof name === 'string' && name !== '' ? name : undefined;
}

function kindOf(value: string | number | boolean): Kind {
  return typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'boolean' : 'string';
}

function valueOf(v: string | number | boolean): ExportValue {
  if (typeof v === 'number') {
    if (!/^-?\d+(\.\d+)?$/.test(String(v))) throw new ImportRefusal(`${SYSTEM}: the number ${String(v)} has no Segspec spelling`, '');
    return { type: 'number', value: v };
  }
  if (typeof v === 'boolean') return { type: 'boolean', value: v };
  return { type: 'string', value: v };
}

function text(value: string): ExportValue {
  return { type: 'string', value };
}

/** Every substring of a written text (what `in` finds an attribute inside), including the empty one. */
function substrings(haystack: string, at: string): string[] {
  // String.prototype.includes works on UTF-16 units.
  if ((haystack.length * (haystack.length + 1)) / 2 + 1 > MAX_ENUMERATED * 8) {
    throw new ImportRefusal(`${SYSTEM}: \`in\` looking for an attribute inside a text longer than a few dozen characters is not something Segspec can write`, at);
  }
  const out = new Set<string>(['']);
  for (let i = 0; i < haystack.length; i++) for (let j = i + 1; j <= haystack.length; j++) out.add(haystack.slice(i, j));
  return [...out];
}

function escape(textValue: string): string {
  return textValue.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function asObject(v: Json | undefined, at: string): JsonObject {
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) return v;
  throw new ImportRefusal('expected an object', at);
}
