/** Checks on the shape of declarations: properties, kinds, field types, drafts. */
import type { DatasetDecl, Declaration, Expectation, Quantity } from '../syntax/ast.js';
import { prop, props } from '../syntax/ast.js';
import type { Finding } from '../diagnostics/types.js';
import type { WorkspaceModel } from './model.js';
import { staticFinding } from './finding.js';
import { didYouMean, didYouMeanThen, suggest } from '../util/suggest.js';
import { isAggregateName } from './expr-types.js';

const repeatable = new Set(['expect', 'example']);
const segmentKinds = ['demographic', 'geographic', 'behavioral', 'psychographic', 'technographic', 'needs', 'value'];
const typeNames = ['string', 'integer', 'number', 'boolean', 'date', 'datetime', 'semver', 'enum', 'list<string>', 'list<integer>'];

export function checkDeclarations(model: WorkspaceModel): Finding[] {
  const findings: Finding[] = [];
  for (const { file, decl } of model.declarations) {
    checkRepeatedProperties(file, decl, findings);
    checkRequiredProperties(file, decl, findings);
    if (decl.type === 'Dataset') {
      for (const fields of props(decl, 'fields')) {
        for (const field of fields.fields) {
          const unknown = field.fieldType?.unknownName;
          const reportedBySyntax = (at: number) => file && fileErrorsAt(model, file, at);
          if (unknown !== undefined && field.fieldType && !reportedBySyntax(field.fieldType.range.start.offset)) {
            const suggestions = suggest(unknown, typeNames);
            findings.push(
              staticFinding('SEG023', file, field.fieldType.range, `unknown type \`${unknown}\` for field \`${field.name.name}\`${didYouMean(suggestions)}`, { suggestions }),
            );
          }
        }
      }
    }
    if (decl.type === 'Dataset') checkMissingMarkers(file, decl, findings);
    if (decl.type === 'Segment') {
      const kind = prop(decl, 'kind')?.value;
      if (kind && !segmentKinds.includes(kind.name)) {
        const suggestions = suggest(kind.name, segmentKinds);
        findings.push(
          staticFinding('SEG018', file, kind.range, `unknown segment kind \`${kind.name}\`${didYouMeanThen(suggestions, `the kinds are ${segmentKinds.join(', ')}`)}`, { suggestions }),
        );
      }
      if (!prop(decl, 'where') && decl.name) {
        findings.push(staticFinding('SEG019', file, decl.name.range, `segment \`${decl.name.name}\` is a draft: it has no \`where\` rule yet`));
      }
      for (const expect of props(decl, 'expect')) {
        if (expect.value) checkExpectation(file, expect.value, findings);
      }
    }
    if (decl.type === 'Persona') {
      const segment = prop(decl, 'segment')?.value;
      const target = segment ? model.segments.get(segment.name) : undefined;
      if (segment && target && !target.where) {
        findings.push(
          staticFinding('SEG020', file, segment.range, `segment \`${segment.name}\` is a draft, so this persona's profile cannot be checked against it`),
        );
      }
    }
  }
  return findings;
}

/** `missing [...]` holds texts in quotes; a number or a name is quoted by the fix. */
function checkMissingMarkers(file: string, decl: DatasetDecl, findings: Finding[]): void {
  for (const item of prop(decl, 'missing')?.value?.items ?? []) {
    if (item.type === 'String') continue;
    const raw =
      item.type === 'Number'
        ? item.raw.replaceAll('_', '')
        : item.type === 'Negate' && item.operand.type === 'Number'
          ? `-${item.operand.raw.replaceAll('_', '')}`
          : item.type === 'Name'
            ? item.name
            : undefined;
    const quoted = raw === undefined ? undefined : JSON.stringify(raw);
    const fix = quoted === undefined ? undefined : { title: `Put it in quotes: \`${quoted}\``, range: item.range, newText: quoted };
    findings.push(
      staticFinding(
        'SEG035',
        file,
        item.range,
        `\`missing\` lists texts in quotes${quoted ? `: write \`${quoted}\`` : ', e.g. `missing ["?", "NA"]`'}`,
        fix ? { fix } : undefined,
      ),
    );
  }
}

function checkRepeatedProperties(file: string, decl: Declaration, findings: Finding[]): void {
  const seen = new Set<string>();
  for (const property of decl.properties as Array<{ key: string; keywordRange: Finding['range'] }>) {
    if (repeatable.has(property.key) && (decl.type === 'Segment' || decl.type === 'Flag')) continue;
    // A second `belongs to` is a second parent: SEG046 says so (related-model.ts).
    if (property.key === 'belongsTo') continue;
    if (seen.has(property.key)) {
      const word = property.key === 'asOf' ? 'as of' : property.key;
      findings.push(
        staticFinding('SEG009', file, property.keywordRange, `\`${word}\` is given twice in ${decl.type.toLowerCase()} \`${decl.name?.name ?? ''}\`; only the first one is used`),
      );
    }
    seen.add(property.key);
  }
}

function checkRequiredProperties(file: string, decl: Declaration, findings: Finding[]): void {
  const at = decl.name?.range ?? decl.keywordRange;
  const name = decl.name?.name ?? '';
  if (decl.type === 'Dataset' && !prop(decl, 'source') && !prop(decl, 'table')) {
    findings.push(staticFinding('SEG010', file, at, `dataset \`${name}\` needs a \`source "path/to/data.csv"\` (or a \`table\`)`));
  }
  if (decl.type === 'Persona' && !prop(decl, 'segment')) {
    findings.push(staticFinding('SEG010', file, at, `persona \`${name}\` needs the \`segment\` it represents`));
  }
  if (decl.type === 'Partition' && !prop(decl, 'segments')) {
    findings.push(staticFinding('SEG010', file, at, `partition \`${name}\` needs its \`segments [a, b, …]\``));
  }
}

function checkExpectation(file: string, expectation: Expectation, findings: Finding[]): void {
  if (expectation.type === 'ExpectAggregate' && !isAggregateName(expectation.fn.name)) {
    const suggestions = suggest(expectation.fn.name, ['mean', 'median', 'min', 'max', 'p90']);
    findings.push(
      staticFinding('SEG017', file, expectation.fn.range, `unknown aggregate \`${expectation.fn.name}\`${didYouMeanThen(suggestions, 'use mean, median, min, max or p1…p99')}`, { suggestions }),
    );
  }
  if (!('bound' in expectation) || !expectation.bound) return;
  const bound = expectation.bound;
  const quantities: Quantity[] = bound.kind === 'between' ? [bound.low, bound.high] : [bound.value];
  for (const q of quantities) {
    if (q.type === 'Percent' && (q.value < 0 || q.value > 100)) {
      findings.push(staticFinding('SEG028', file, q.range, `${q.raw} is not a share: percentages lie between 0% and 100%`));
    }
  }
  if (bound.kind === 'between' && bound.low.type === bound.high.type && bound.low.value > bound.high.value) {
    findings.push(staticFinding('SEG028', file, bound.range, `\`between ${bound.low.raw} and ${bound.high.raw}\` can never hold: the lower bound is above the upper one`));
  }
}

/** Whether the parser already reported an error starting at this offset. */
function fileErrorsAt(model: WorkspaceModel, file: string, offset: number): boolean {
  return model.files.get(file)?.ast.errors.some((e) => e.range.start.offset === offset) ?? false;
}
