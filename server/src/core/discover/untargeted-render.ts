/**
 * Rules found without a target as ready `segment` declarations: a name from
 * the clauses, the guessed kind, a description with the size and how
 * faithfully the rule reproduces its cluster, and an `expect size` line
 * (there is no target, so no `expect share(…)`).
 */
import { format } from '../format/formatter.js';
import { stringLiteral } from './clauses.js';
import { guessKind } from './kind.js';
import { percentText, ruleName, sizeExpectation, uniqueName, type RenderedRule } from './render.js';
import type { ClusterRule, UntargetedResult } from './untargeted.js';

/** One declaration per rule, with names unique among themselves and the workspace. */
export function renderClusterRules(result: UntargetedResult, options: { dataset: string; taken: ReadonlySet<string> }): RenderedRule[] {
  const taken = new Set(options.taken);
  return result.rules.map((rule) => {
    const name = uniqueName(ruleName(rule.clauses), taken);
    taken.add(name);
    const lines = [
      `segment ${name} {`,
      `  kind ${guessKind(rule.clauses.map((c) => c.label ?? c.field))}`,
      `  description ${stringLiteral(describeClusterRule(rule, result))}`,
      `  from ${options.dataset}`,
      `  where ${rule.where}`,
      `  expect size ${sizeExpectation(rule.size, result.rows)}`,
      '}',
    ];
    const text = `${lines.join('\n')}\n`;
    return { name, text: format(text) ?? text };
  });
}

export function describeClusterRule(rule: ClusterRule, result: UntargetedResult): string {
  return (
    `Discovered: ${rule.size.toLocaleString('en-US')} of ${result.rows.toLocaleString('en-US')} rows (${percentText(rule.share)}); ` +
    `describes cluster ${rule.cluster} of ${result.k} (${rule.clusterSize.toLocaleString('en-US')} rows) with F1 ${rule.f1.toFixed(2)} ` +
    `(precision ${rule.precision.toFixed(2)}, recall ${rule.recall.toFixed(2)}).`
  );
}
