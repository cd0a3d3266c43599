/**
 * Static checks of related datasets (SPEC §11): codes SEG040–SEG059.
 * The data checks of links (orphans, duplicate links) are SEG130–SEG139 in
 * `core/data/related-codes.ts`.
 */
import type { CatalogEntry } from '../diagnostics/types.js';

export const relatedCode = {
  unknownRelated: 'SEG040',
  unknownRelatedField: 'SEG041',
  notRelated: 'SEG042',
  lookupIntoMany: 'SEG043',
  parentWithoutKey: 'SEG044',
  linkTypeMismatch: 'SEG045',
  twoParents: 'SEG046',
  linkCycle: 'SEG047',
  nestedAggregate: 'SEG048',
  aggregateType: 'SEG049',
  linkNotAField: 'SEG050',
} as const;

export const relatedStaticCodes: CatalogEntry[] = [
  {
    code: relatedCode.unknownRelated,
    severity: 'error',
    title: 'Unknown related dataset',
    explanation:
      'A lookup (`survey.nps`) or an aggregate (`count(plays)`) names a dataset that does not exist in the workspace. Check the spelling (a close match is suggested) or declare the dataset with `belongs to`.',
  },
  {
    code: relatedCode.unknownRelatedField,
    severity: 'error',
    title: 'Unknown field of a related dataset',
    explanation:
      'The related dataset has no such field (in its `fields { }` block or its data), or, inside an aggregate\'s `where`, the name is neither a field nor a segment of the related dataset. Check the spelling (a close match is suggested).',
  },
  {
    code: relatedCode.notRelated,
    severity: 'error',
    title: 'Dataset not related to the segment\'s dataset',
    explanation:
      'Lookups and aggregates read the rows that belong to each row of the segment\'s own dataset, so the dataset they name must declare `belongs to <the segment\'s dataset> by <field>`. Chains are allowed, but each lookup or aggregate reaches one level only.',
  },
  {
    code: relatedCode.lookupIntoMany,
    severity: 'error',
    title: 'Lookup into a dataset with many rows per parent',
    explanation:
      '`R.field` reads the one related row of each parent, which exists only when the link field is also the related dataset\'s `key` (one-to-one). For a dataset with many rows per parent (an event log), say which value you mean with an aggregate: `count(R where …)`, `max(R.field)`, `exists(R where …)`.',
  },
  {
    code: relatedCode.parentWithoutKey,
    severity: 'error',
    title: 'Parent dataset has no key',
    explanation:
      'A related row names its parent by the parent\'s `key`: add `key <field>` to the parent dataset.',
  },
  {
    code: relatedCode.linkTypeMismatch,
    severity: 'error',
    title: 'Link type does not match the parent key',
    explanation:
      'The field after `by` holds the key of the parent row, so its type must be the type of the parent\'s `key` field (a string id against a string id, an integer against an integer).',
  },
  {
    code: relatedCode.twoParents,
    severity: 'error',
    title: 'Dataset belongs to two parents',
    explanation:
      'A dataset belongs to at most one parent. To relate one table to two datasets, declare two datasets over the same source, one for each link.',
  },
  {
    code: relatedCode.linkCycle,
    severity: 'error',
    title: 'Cycle of `belongs to`',
    explanation:
      'Datasets that belong to each other in a circle have no top: every chain of `belongs to` must end in a dataset that belongs to none.',
  },
  {
    code: relatedCode.nestedAggregate,
    severity: 'error',
    title: 'Aggregate or lookup inside an aggregate',
    explanation:
      'An aggregate\'s `where` is evaluated on one related row, and aggregates and lookups reach one level only: an aggregate or a lookup inside it is not supported. Define a segment of the related dataset for the inner condition if it is about that row, or compute the inner value as its own clause.',
  },
  {
    code: relatedCode.aggregateType,
    severity: 'error',
    title: 'Aggregate over a field of the wrong type',
    explanation:
      '`sum`, `mean`, `median` and `pNN` work on numeric fields; `min` and `max` on numbers, dates and date-times; `count(distinct R.f)` on any field except lists. The message gives the field\'s type.',
  },
  {
    code: relatedCode.linkNotAField,
    severity: 'error',
    title: 'Link field is not a field of the dataset',
    explanation:
      'The field after `by` must be a field (a column) of the dataset that declares `belongs to`: the one holding the parent\'s key.',
  },
];
