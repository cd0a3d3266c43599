/**
 * Related datasets in the workspace model (SPEC §11): the links declared by
 * `belongs to PARENT by FIELD`, and the resolution of lookups (`survey.nps`),
 * aggregates (`count(plays where …)`) and nested related rows in records,
 * with their static checks (SEG040–SEG050).
 */
import type { AggregateExpr, RecordEntry, RelatedFieldExpr } from '../syntax/ast.js';
import { prop, props } from '../syntax/ast.js';
import type { Finding } from '../diagnostics/types.js';
import type { ColumnType } from '../data/table.js';
import type { DatasetSymbol, WorkspaceModel } from './model.js';
import { staticFinding } from './finding.js';
import { relatedCode } from './related-codes.js';
import { didYouMean, suggest } from '../util/suggest.js';

// ------------------------------------------------------------------ links

/** Sets `link` on each dataset that belongs to another, and reports what is wrong with the links. */
export function linkDatasets(model: WorkspaceModel, findings: Finding[]): void {
  for (const dataset of model.datasets.values()) {
    const declared = props(dataset.decl, 'belongsTo');
    if (declared.length === 0) continue;
    for (const extra of declared.slice(1)) {
      findings.push(
        staticFinding(
          relatedCode.twoParents,
          dataset.file,
          extra.range,
          `\`${dataset.name}\` already belongs to \`${declared[0].parent?.name ?? '?'}\`: a dataset belongs to at most one parent`,
        ),
      );
    }
    const { parent, by } = declared[0];
    if (!parent) continue;
    const parentSymbol = model.datasets.get(parent.name);
    model.references.push({
      file: dataset.file,
      range: parent.range,
      name: parent.name,
      expected: 'dataset',
      target: parentSymbol ? { kind: 'dataset', name: parent.name } : undefined,
    });
    if (!parentSymbol) {
      const suggestions = suggest(parent.name, [...model.datasets.keys()].filter((n) => n !== dataset.name));
      findings.push(
        staticFinding('SEG005', dataset.file, parent.range, `unknown dataset \`${parent.name}\`${didYouMean(suggestions)}`, {
          suggestions,
          name: parent.name,
        }),
      );
      continue;
    }
    if (parentSymbol === dataset) {
      findings.push(staticFinding(relatedCode.linkCycle, dataset.file, parent.range, `\`${dataset.name}\` cannot belong to itself`));
      continue;
    }
    if (!by) continue;
    const ownFields = model.fieldTypes.get(dataset.name);
    const byInfo = ownFields?.get(by.name);
    model.references.push({
      file: dataset.file,
      range: by.range,
      name: by.name,
      expected: 'field',
      target: byInfo || !model.completeFields.has(dataset.name) ? { kind: 'field', dataset: dataset.name, name: by.name } : undefined,
    });
    if (!byInfo && model.completeFields.has(dataset.name)) {
      const suggestions = suggest(by.name, ownFields?.keys() ?? []);
      findings.push(
        staticFinding(
          relatedCode.linkNotAField,
          dataset.file,
          by.range,
          `\`${dataset.name}\` has no field \`${by.name}\` to link by${didYouMean(suggestions)}`,
          { suggestions, name: by.name, dataset: dataset.name },
        ),
      );
    }
    const parentKey = prop(parentSymbol.decl, 'key')?.value?.name;
    if (!parentKey) {
      findings.push(
        staticFinding(
          relatedCode.parentWithoutKey,
          dataset.file,
          parent.range,
          `\`${parent.name}\` has no \`key\`: add \`key <field>\` to it so that rows of \`${dataset.name}\` can name their ${parent.name} row`,
        ),
      );
    } else {
      const keyInfo = model.fieldTypes.get(parent.name)?.get(parentKey);
      if (byInfo && keyInfo && !linkTypesMatch(byInfo.type, keyInfo.type)) {
        findings.push(
          staticFinding(
            relatedCode.linkTypeMismatch,
            dataset.file,
            by.range,
            `\`${dataset.name}.${by.name}\` is ${byInfo.type} but the key of \`${parent.name}\` (\`${parentKey}\`) is ${keyInfo.type}: the link must have the key's type`,
          ),
        );
      }
    }
    const ownKey = prop(dataset.decl, 'key')?.value?.name;
    dataset.link = { parent: parent.name, by: by.name, oneToOne: ownKey === by.name };
  }
  breakCycles(model, findings);
}

function linkTypesMatch(a: ColumnType, b: ColumnType): boolean {
  const group = (t: ColumnType): string =>
    t === 'integer' || t === 'number' ? 'number' : t === 'string' || t === 'enum' ? 'text' : t;
  return group(a) === group(b);
}

/** Chains of `belongs to` that come back to where they started: reported, and their links dropped. */
function breakCycles(model: WorkspaceModel, findings: Finding[]): void {
  const inCycle = new Set<string>();
  for (const start of model.datasets.values()) {
    const path: string[] = [];
    let current: DatasetSymbol | undefined = start;
    while (current?.link && !path.includes(current.name)) {
      path.push(current.name);
      current = model.datasets.get(current.link.parent);
    }
    if (current && path.includes(current.name) && current.name === start.name) {
      for (const name of path) inCycle.add(name);
      const belongs = prop(start.decl, 'belongsTo');
      const chain = [...path, start.name].map((n) => `\`${n}\``).join(' → ');
      findings.push(staticFinding(relatedCode.linkCycle, start.file, belongs?.range ?? start.nameRange, `\`belongs to\` cycle: ${chain}`));
    }
  }
  for (const name of inCycle) delete model.datasets.get(name)!.link;
}

// ------------------------------------------------------------------ lookups and aggregates

/**
 * Resolves the dataset and field of a lookup or an aggregate in a rule over
 * `dataset`; `enclosing` is the aggregate whose `where` it sits in, if any.
 */
export function resolveRelated(
  model: WorkspaceModel,
  findings: Finding[],
  file: string,
  node: AggregateExpr | RelatedFieldExpr,
  dataset: string | undefined,
  enclosing: AggregateExpr | undefined,
): void {
  const relatedName = node.dataset.name;
  const related = model.datasets.get(relatedName);
  model.references.push({
    file,
    range: node.dataset.range,
    name: relatedName,
    expected: 'dataset',
    target: related ? { kind: 'dataset', name: relatedName } : undefined,
  });
  if (node.field) {
    const known = related ? fieldKnown(model, relatedName, node.field.name) : false;
    model.references.push({
      file,
      range: node.field.range,
      name: node.field.name,
      expected: 'field',
      target: known ? { kind: 'field', dataset: relatedName, name: node.field.name } : undefined,
    });
  }
  if (enclosing) {
    const what = node.type === 'Aggregate' ? `\`${node.callee.name}(…)\`` : `\`${relatedName}.${node.field.name}\``;
    findings.push(
      staticFinding(
        relatedCode.nestedAggregate,
        file,
        node.range,
        `${what} inside \`${enclosing.callee.name}(${enclosing.dataset.name} where …)\`: aggregates and lookups reach one level only`,
      ),
    );
    return;
  }
  if (!related) {
    const candidates = dataset ? model.relatedOf(dataset).map((d) => d.name) : [...model.datasets.keys()];
    const suggestions = suggest(relatedName, candidates.length > 0 ? candidates : model.datasets.keys());
    const hint = didYouMean(suggestions) || (candidates.length > 0 ? ` (related datasets: ${candidates.join(', ')})` : '');
    findings.push(
      staticFinding(relatedCode.unknownRelated, file, node.dataset.range, `unknown dataset \`${relatedName}\`${hint}`, {
        suggestions,
        name: relatedName,
      }),
    );
    return;
  }
  if (!dataset) return;
  if (related.link?.parent !== dataset) {
    const candidates = model.relatedOf(dataset).map((d) => d.name);
    const suggestions = suggest(relatedName, candidates);
    const declared = prop(related.decl, 'belongsTo');
    const why = related.link
      ? `\`${relatedName}\` belongs to \`${related.link.parent}\`, not to \`${dataset}\``
      : declared
        ? `the \`belongs to\` of \`${relatedName}\` has an error`
        : `\`${relatedName}\` does not belong to \`${dataset}\` (add \`belongs to ${dataset} by <field>\` to it)`;
    findings.push(
      staticFinding(relatedCode.notRelated, file, node.dataset.range, `${why}: lookups and aggregates read the rows related to each ${dataset} row${didYouMean(suggestions)}`, {
        suggestions,
        name: relatedName,
      }),
    );
    return;
  }
  if (node.field && !fieldKnown(model, relatedName, node.field.name)) {
    const suggestions = suggest(node.field.name, model.fieldTypes.get(relatedName)?.keys() ?? []);
    findings.push(
      staticFinding(
        relatedCode.unknownRelatedField,
        file,
        node.field.range,
        `\`${relatedName}\` has no field \`${node.field.name}\`${didYouMean(suggestions)}`,
        { suggestions, name: node.field.name, dataset: relatedName },
      ),
    );
    return;
  }
  if (node.type === 'RelatedField' && !related.link.oneToOne) {
    const field = node.field.name;
    const type = model.fieldTypes.get(relatedName)?.get(field)?.type;
    const numeric = type === 'integer' || type === 'number';
    const temporal = type === 'date' || type === 'datetime';
    const proposals = [
      `count(${relatedName})`,
      numeric ? `sum(${relatedName}.${field})` : temporal ? `max(${relatedName}.${field})` : `count(distinct ${relatedName}.${field})`,
      `exists(${relatedName} where ${field} …)`,
    ];
    findings.push(
      staticFinding(
        relatedCode.lookupIntoMany,
        file,
        node.range,
        `\`${relatedName}\` has many rows per ${dataset} row, so \`${relatedName}.${field}\` has no single value: use an aggregate, e.g. ${proposals.map((p) => `\`${p}\``).join(' or ')}`,
        { suggestions: proposals.slice(0, 2) },
      ),
    );
  }
}

function fieldKnown(model: WorkspaceModel, dataset: string, field: string): boolean {
  return (model.fieldTypes.get(dataset)?.has(field) ?? false) || !model.completeFields.has(dataset);
}

/**
 * `plays: [{ … }]` / `survey: { … }` in an example or profile of a record of
 * `dataset`: the related dataset the rows belong to, or undefined (reported).
 */
export function resolveRelatedRows(
  model: WorkspaceModel,
  findings: Finding[],
  file: string,
  entry: RecordEntry,
  dataset: string | undefined,
): string | undefined {
  const name = entry.key.name;
  const related = model.datasets.get(name);
  model.references.push({
    file,
    range: entry.key.range,
    name,
    expected: 'dataset',
    target: related ? { kind: 'dataset', name } : undefined,
  });
  if (!dataset) return undefined;
  if (related?.link?.parent === dataset) return name;
  const candidates = model.relatedOf(dataset).map((d) => d.name);
  const suggestions = suggest(name, candidates);
  const why = related
    ? `\`${name}\` does not belong to \`${dataset}\`, so its rows cannot be nested here`
    : `\`${dataset}\` has no field or related dataset \`${name}\``;
  findings.push(staticFinding(related ? relatedCode.notRelated : relatedCode.unknownRelated, file, entry.key.range, `${why}${didYouMean(suggestions)}`, { suggestions, name }));
  return undefined;
}

