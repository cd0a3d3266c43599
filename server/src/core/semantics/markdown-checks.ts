/** Checks of Markdown references (SPEC §7): unknown names, drafts, empty or failing segments. */
import type { CatalogEntry, Finding, Severity } from '../diagnostics/types.js';
import type { MarkdownDocument } from '../markdown/index.js';
import type { WorkspaceModel } from './model.js';
import { didYouMean, suggest } from '../util/suggest.js';

export const markdownCodes: CatalogEntry[] = [
  {
    code: 'SEG300',
    severity: 'error',
    title: 'Unknown segment or persona in a document',
    explanation:
      'A roadmap reference `@segment(name)`, `@persona(name)` or a front-matter `segments:` entry names nothing defined in the workspace\'s .segspec files. Fix the spelling (a close match is suggested) or define it.',
  },
  {
    code: 'SEG301',
    severity: 'warning',
    title: 'Reference to a draft segment',
    explanation:
      'The document builds for a segment that has no `where` rule yet, so nobody can tell who is in it. Write the rule before committing to the roadmap item.',
  },
  {
    code: 'SEG302',
    severity: 'warning',
    title: 'Reference to an empty segment',
    explanation: 'The referenced segment has no members in the sample data.',
  },
  {
    code: 'SEG303',
    severity: 'warning',
    title: 'Reference to a segment with failing checks',
    explanation:
      'An expectation, example or persona of the referenced segment fails on the sample data: the assumption the document relies on does not hold. See the findings in the .segspec file.',
  },
];

export type SegmentStatus = 'ok' | 'draft' | 'empty' | 'failing';

const severityOf = new Map<string, Severity>(markdownCodes.map((c) => [c.code, c.severity]));

export function checkMarkdown(
  path: string,
  doc: MarkdownDocument,
  model: WorkspaceModel,
  statusOf: (segment: string) => SegmentStatus | undefined,
): Finding[] {
  const findings: Finding[] = [];
  const add = (code: string, range: Finding['range'], message: string, data?: Record<string, unknown>) =>
    findings.push({ code, severity: severityOf.get(code)!, message, file: path, range, ...(data ? { data } : {}) });
  for (const ref of doc.references) {
    const table = ref.kind === 'segment' ? model.segments : model.personas;
    if (!table.has(ref.name)) {
      const other = ref.kind === 'segment' ? 'persona' : 'segment';
      if ((ref.kind === 'segment' ? model.personas : model.segments).has(ref.name)) {
        const fix = ref.origin === 'frontMatter' ? `list it under \`${other}s:\`` : `write \`@${other}(${ref.name})\``;
        add('SEG300', ref.nameRange, `\`${ref.name}\` is a ${other}, not a ${ref.kind}: ${fix}`);
        continue;
      }
      const suggestions = suggest(ref.name, table.keys());
      add('SEG300', ref.nameRange, `unknown ${ref.kind} \`${ref.name}\`${didYouMean(suggestions)}`, { suggestions, name: ref.name });
      continue;
    }
    if (ref.kind !== 'segment') continue;
    const status = model.segments.get(ref.name)?.where ? statusOf(ref.name) : 'draft';
    if (status === 'draft') add('SEG301', ref.nameRange, `segment \`${ref.name}\` is a draft: it has no \`where\` rule yet`);
    if (status === 'empty') add('SEG302', ref.nameRange, `segment \`${ref.name}\` has no members in the sample data`);
    if (status === 'failing') add('SEG303', ref.nameRange, `segment \`${ref.name}\` has failing checks (see its definition)`);
  }
  return findings;
}
