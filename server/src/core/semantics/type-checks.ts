import { unreachable } from '../util/unreachable.js';
/** Type checks of SPEC §5.2 on `where`, `expect share(…)` and aggregate expressions. */
import type { AggregateExpr, Expr, Range } from '../syntax/ast.js';
import { relatedCode } from './related-codes.js';
import { prop, props } from '../syntax/ast.js';
import type { Finding } from '../diagnostics/types.js';
import type { WorkspaceModel } from './model.js';
import { staticFinding } from './finding.js';
import { compilePattern } from '../util/regex.js';
import { didYouMean, suggest } from '../util/suggest.js';
import {
  describeType,
  fieldInfoOf,
  isAggregateName,
  isTemporal,
  isTextual,
  scalarFunctionNames,
  typeOf,
  type StaticType,
  type TypeEnv,
} from './expr-types.js';

/** Values seen in the data for a field, when the data is loaded (for did-you-mean). */
export type ValuesOf = (dataset: string, field: string) => readonly string[] | undefined;

const semverPattern = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

interface Context {
  file: string;
  dataset: string | undefined;
  env: TypeEnv;
  valuesOf: ValuesOf | undefined;
  findings: Finding[];
}

export function checkTypes(model: WorkspaceModel, valuesOf?: ValuesOf): Finding[] {
  const findings: Finding[] = [];
  for (const symbol of model.segments.values()) {
    const fields = symbol.dataset ? model.fieldTypes.get(symbol.dataset) : undefined;
    const fieldsOf = (dataset: string) => model.fieldTypes.get(dataset);
    const ctx: Context = { file: symbol.file, dataset: symbol.dataset, env: { names: model.names, fields, fieldsOf }, valuesOf, findings };
    const where = prop(symbol.decl, 'where')?.value;
    if (where) checkPredicate(where, ctx);
    for (const expect of props(symbol.decl, 'expect')) {
      const e = expect.value;
      if (e?.type === 'ExpectShare') checkPredicate(e.expr, ctx);
      if (e?.type === 'ExpectAggregate') checkAggregateArgument(e.arg, e.fn.name, ctx);
    }
  }
  return findings;
}

function checkPredicate(expr: Expr, ctx: Context): void {
  const type = typeOf(expr, ctx.env);
  if (type !== 'boolean' && type !== 'unknown') {
    ctx.findings.push(
      staticFinding('SEG026', ctx.file, expr.range, `${describeOperand(expr, ctx)} is not a condition: compare it with something (e.g. \`== …\`, \`> …\`, \`is missing\`)`),
    );
  }
  checkExpr(expr, ctx);
}

function checkExpr(expr: Expr, ctx: Context): void {
  switch (expr.type) {
    case 'Paren':
      return checkExpr(expr.expr, ctx);
    case 'Logical':
      checkPredicate(expr.left, ctx);
      checkPredicate(expr.right, ctx);
      return;
    case 'Not':
      return checkPredicate(expr.operand, ctx);
    case 'Compare':
      checkExpr(expr.left, ctx);
      checkExpr(expr.right, ctx);
      checkComparable(expr.left, expr.right, ctx, expr.op === '==' || expr.op === '!=');
      return;
    case 'In':
      checkExpr(expr.subject, ctx);
      for (const item of expr.list.items) {
        checkExpr(item, ctx);
        checkComparable(expr.subject, item, ctx, true);
      }
      return;
    case 'Between':
      [expr.subject, expr.low, expr.high].forEach((e) => checkExpr(e, ctx));
      checkComparable(expr.subject, expr.low, ctx, false);
      checkComparable(expr.subject, expr.high, ctx, false);
      return;
    case 'Contains':
      return checkContains(expr, ctx);
    case 'Affix':
    case 'Matches': {
      checkExpr(expr.subject, ctx);
      const words = expr.type === 'Matches' ? '`matches`' : `\`${expr.op} with\``;
      requireType(expr.subject, ctx, isTextual, `${words} works on text`);
      if (expr.type === 'Affix') requireType(expr.value, ctx, isTextual, `${words} needs a string`);
      if (expr.type === 'Matches') {
        const pattern = compilePattern(expr.pattern.value);
        if (!pattern.ok) ctx.findings.push(staticFinding('SEG022', ctx.file, expr.pattern.range, pattern.problem));
      }
      return;
    }
    case 'WithinLast':
      checkExpr(expr.subject, ctx);
      requireType(expr.subject, ctx, (t) => t === 'date' || t === 'datetime', '`within last` works on dates and date-times');
      return;
    case 'Temporal':
      checkExpr(expr.subject, ctx);
      checkExpr(expr.value, ctx);
      requireType(expr.subject, ctx, (t) => t === 'date' || t === 'datetime', `\`${expr.op}\` works on dates and date-times`);
      requireType(expr.value, ctx, isTemporal, `\`${expr.op}\` needs a date, \`today\`, \`now\` or \`N days ago\``);
      return;
    case 'Arith':
      checkExpr(expr.left, ctx);
      checkExpr(expr.right, ctx);
      requireType(expr.left, ctx, (t) => t === 'number', `\`${expr.op}\` works on numbers`);
      requireType(expr.right, ctx, (t) => t === 'number', `\`${expr.op}\` works on numbers`);
      return;
    case 'Negate':
      checkExpr(expr.operand, ctx);
      requireType(expr.operand, ctx, (t) => t === 'number', '`-` works on numbers');
      return;
    case 'Call':
      return checkCall(expr, ctx);
    case 'Aggregate':
      return checkRelatedAggregate(expr, ctx);
    case 'RelatedField':
      return;
    case 'Missing':
      return checkExpr(expr.subject, ctx);
    case 'String':
    case 'Number':
    case 'Percent':
    case 'Boolean':
    case 'Date':
    case 'DateTime':
    case 'Name':
    case 'List':
    case 'Ago':
    case 'Today':
    case 'Now':
    case 'Error':
      return;
    default:
      return unreachable(expr);
  }
}

function checkCall(expr: Extract<Expr, { type: 'Call' }>, ctx: Context): void {
  const name = expr.callee.name;
  checkExpr(expr.arg, ctx);
  if (isAggregateName(name)) return checkAggregateArgument(expr.arg, name, ctx);
  if (!scalarFunctionNames.has(name)) {
    const suggestions = suggest(name, ['lower', 'upper', 'len', 'median', 'mean', 'min', 'max', 'p90', 'count', 'exists', 'sum']);
    ctx.findings.push(
      staticFinding('SEG017', ctx.file, expr.callee.range, `unknown function \`${name}\`${didYouMean(suggestions)}`, { suggestions }),
    );
    return;
  }
  if (name === 'len') {
    requireType(expr.arg, ctx, (t) => isTextual(t) || t.startsWith('list'), '`len` takes a string or a list', 'SEG025');
  } else {
    requireType(expr.arg, ctx, isTextual, `\`${name}\` takes a string`, 'SEG025');
  }
}

/** The field's type against the aggregate (SEG049), and the `where` as a condition on the related row. */
function checkRelatedAggregate(expr: AggregateExpr, ctx: Context): void {
  const related = expr.dataset.name;
  const info = expr.field ? ctx.env.fieldsOf?.(related)?.get(expr.field.name) : undefined;
  if (info && expr.field) {
    const type = info.type;
    const numeric = type === 'integer' || type === 'number';
    const ordered = numeric || type === 'date' || type === 'datetime';
    const ok =
      expr.fn === 'min' || expr.fn === 'max'
        ? ordered
        : expr.fn === 'countDistinct'
          ? !type.startsWith('list')
          : numeric;
    if (!ok) {
      const works =
        expr.fn === 'min' || expr.fn === 'max'
          ? 'numbers, dates and date-times'
          : expr.fn === 'countDistinct'
            ? 'single values, not lists'
            : 'numbers';
      ctx.findings.push(
        staticFinding(
          relatedCode.aggregateType,
          ctx.file,
          expr.field.range,
          `\`${expr.callee.name}\` works on ${works}, but \`${related}.${expr.field.name}\` is ${describeType(type as StaticType)}`,
        ),
      );
    }
  }
  if (expr.filter) {
    const inner: Context = { ...ctx, dataset: related, env: { ...ctx.env, fields: ctx.env.fieldsOf?.(related) } };
    checkPredicate(expr.filter, inner);
  }
}

function checkAggregateArgument(arg: Expr, name: string, ctx: Context): void {
  const allowsDates = name === 'min' || name === 'max' || name === 'median';
  requireType(
    arg,
    ctx,
    (t) => t === 'number' || (allowsDates && (t === 'date' || t === 'datetime')),
    `\`${name}\` is computed over a numeric field`,
    'SEG025',
  );
}

function checkContains(expr: Extract<Expr, { type: 'Contains' }>, ctx: Context): void {
  checkExpr(expr.subject, ctx);
  checkExpr(expr.value, ctx);
  const subject = typeOf(expr.subject, ctx.env);
  if (subject === 'unknown') return;
  if (!subject.startsWith('list') && !isTextual(subject)) {
    ctx.findings.push(
      staticFinding('SEG012', ctx.file, expr.range, `\`contains\` works on lists and text, but ${describeOperand(expr.subject, ctx)} is ${describeType(subject)}`),
    );
    return;
  }
  const element: StaticType = subject === 'list<integer>' ? 'number' : 'string';
  const items = expr.mode === 'one' ? [expr.value] : expr.value.type === 'List' ? expr.value.items : [];
  if (expr.mode !== 'one' && expr.value.type !== 'List' && typeOf(expr.value, ctx.env) !== 'unknown') {
    ctx.findings.push(staticFinding('SEG011', ctx.file, expr.value.range, `\`contains ${expr.mode}\` needs a list such as ["a", "b"]`));
  }
  for (const item of items) {
    const t = typeOf(item, ctx.env);
    if (t !== 'unknown' && !(t === element || (element === 'string' && isTextual(t)))) {
      ctx.findings.push(
        staticFinding('SEG011', ctx.file, item.range, `${describeOperand(expr.subject, ctx)} holds ${element === 'number' ? 'integers' : 'strings'}, so it can never contain ${describeOperand(item, ctx)}`),
      );
    }
  }
}

function requireType(
  expr: Expr,
  ctx: Context,
  accepts: (t: StaticType) => boolean,
  what: string,
  code = 'SEG012',
): void {
  const type = typeOf(expr, ctx.env);
  if (type === 'unknown' || accepts(type)) return;
  ctx.findings.push(staticFinding(code, ctx.file, expr.range, `${what}, but ${describeOperand(expr, ctx)} is ${describeType(type)}`));
}

/** Reports a comparison of values whose types can never be compared, and literal values a field never takes. */
function checkComparable(a: Expr, b: Expr, ctx: Context, equality: boolean): void {
  const ta = typeOf(a, ctx.env);
  const tb = typeOf(b, ctx.env);
  if (ta === 'unknown' || tb === 'unknown') return;
  if (!compatible(ta, tb)) {
    const fix = quotingFix(a, b, tb, ta, ctx) ?? quotingFix(b, a, ta, tb, ctx);
    const hint = fix
      ? ` — ${fix.title.charAt(0).toLowerCase()}${fix.title.slice(1)}`
      : (ta === 'date' || tb === 'date') && (a.type === 'String' || b.type === 'String')
        ? ' (write dates without quotes: 2026-06-30)'
        : '';
    ctx.findings.push(
      staticFinding('SEG011', ctx.file, spanOf(a.range, b.range), `${describeOperand(a, ctx)} cannot be compared with ${describeOperand(b, ctx)}${hint}`, fix ? { fix } : undefined),
    );
    return;
  }
  checkLiteralValue(a, b, ctx, equality);
  checkLiteralValue(b, a, ctx, equality);
}

const numberText = /^-?\d+(\.\d+)?$/;

/**
 * A literal quoted or not quoted by mistake: `age > "60"` (drop the quotes),
 * `zip == 60110` on a field declared as text (quote it), `is_student == "true"`.
 * `literal` is the literal, `literalType` its type, `otherType` the type it meets.
 */
function quotingFix(
  literal: Expr,
  other: Expr,
  otherType: StaticType,
  literalType: StaticType,
  ctx: Context,
): { title: string; range: Expr['range']; newText: string } | undefined {
  if (literal.type === 'String') {
    const text = literal.value;
    if (otherType === 'number' && numberText.test(text)) return { title: `Drop the quotes: \`${text}\``, range: literal.range, newText: text };
    if (otherType === 'boolean' && (text === 'true' || text === 'false')) {
      return { title: `Drop the quotes: \`${text}\``, range: literal.range, newText: text };
    }
    return undefined;
  }
  // Only for a field declared as text: one inferred as text may hold numbers and a missing-value word (`missing [...]`).
  const declaredText = fieldInfoOf(other, ctx.env)?.inferred === false;
  if (literal.type === 'Number' && literalType === 'number' && isTextual(otherType) && declaredText) {
    const text = JSON.stringify(literal.raw.replaceAll('_', ''));
    return { title: `Put it in quotes: \`${text}\``, range: literal.range, newText: text };
  }
  return undefined;
}

function compatible(a: StaticType, b: StaticType): boolean {
  if (a === b) return true;
  if (isTextual(a) && isTextual(b)) return a === 'string' || b === 'string';
  if (isTemporal(a) && isTemporal(b)) return true;
  return false;
}

/** `field` compared with a string literal: semver syntax, enum membership, values seen in the data. */
function checkLiteralValue(fieldExpr: Expr, literal: Expr, ctx: Context, equality: boolean): void {
  if (literal.type !== 'String') return;
  const info = fieldInfoOf(fieldExpr, ctx.env);
  const inner = fieldExpr.type === 'Paren' ? fieldExpr.expr : fieldExpr;
  if (!info || (inner.type !== 'Name' && inner.type !== 'RelatedField')) return;
  // `survey.attitude`: a field of the related dataset, named as written.
  const field = inner.type === 'Name' ? inner.name : `${inner.dataset.name}.${inner.field.name}`;
  const dataset = inner.type === 'Name' ? ctx.dataset : inner.dataset.name;
  const fieldName = inner.type === 'Name' ? inner.name : inner.field.name;
  if (info.type === 'semver') {
    if (!semverPattern.test(literal.value)) {
      ctx.findings.push(staticFinding('SEG013', ctx.file, literal.range, `"${literal.value}" is not a version: \`${field}\` is a semver field, compared with values such as "3.10.0"`));
    }
    return;
  }
  if (!equality || (info.type !== 'enum' && info.type !== 'string')) return;
  const declared = info.enumValues;
  const seen = dataset ? ctx.valuesOf?.(dataset, fieldName) : undefined;
  const allowed = declared ?? seen;
  if (!allowed || allowed.includes(literal.value)) return;
  const suggestions = suggest(literal.value, allowed);
  const closest = suggestions.length > 0 ? ` — did you mean "${suggestions[0]}"?` : '';
  if (info.type === 'enum') {
    const where = declared ? 'declared values' : 'values in the data';
    ctx.findings.push(
      staticFinding('SEG014', ctx.file, literal.range, `\`${field}\` never takes the value "${literal.value}" (${where}: ${preview(allowed)})${closest}`, { suggestions, quoted: true }),
    );
  } else if (suggestions.length > 0) {
    ctx.findings.push(
      staticFinding('SEG029', ctx.file, literal.range, `no row has \`${field}\` = "${literal.value}"${closest}`, { suggestions, quoted: true }),
    );
  }
}

function preview(values: readonly string[]): string {
  const shown = values.slice(0, 6).map((v) => `"${v}"`).join(', ');
  return values.length > 6 ? `${shown}, …` : shown;
}

function describeOperand(expr: Expr, ctx: Context): string {
  const inner = expr.type === 'Paren' ? expr.expr : expr;
  switch (inner.type) {
    case 'Name': {
      const info = fieldInfoOf(inner, ctx.env);
      return info ? `\`${inner.name}\` (${info.type})` : `\`${inner.name}\``;
    }
    case 'String':
      return `the string "${inner.value}"`;
    case 'Number':
      return `the number ${inner.raw}`;
    case 'Percent':
      return `the percentage ${inner.raw}`;
    case 'Boolean':
      return `\`${inner.value}\``;
    case 'Date':
      return `the date ${inner.value}`;
    case 'DateTime':
      return `the date-time ${inner.value}`;
    default:
      return describeType(typeOf(inner, ctx.env)).replace(/^an? /, 'a ') + ' value';
  }
}

function spanOf(a: Range, b: Range): Range {
  return a.start.offset <= b.start.offset ? { start: a.start, end: b.end } : { start: b.start, end: a.end };
}
