/**
 * Data checks of links between datasets (SPEC §11): codes SEG130–SEG139.
 * Reported where the link is declared (`belongs to … by FIELD`), with the
 * count, the first line of the related data file and the value.
 */
import type { CatalogEntry } from '../diagnostics/types.js';

export const linkDataCode = {
  missingLink: 'SEG130',
  unknownParent: 'SEG131',
  repeatedLink: 'SEG132',
  linkNotIndexed: 'SEG133',
} as const;

export const linkDataCodes: CatalogEntry[] = [
  {
    code: linkDataCode.missingLink,
    severity: 'warning',
    title: 'Related rows without a link',
    explanation:
      'Some rows of a dataset that `belongs to` another have no value in the link field, so they belong to no parent row and no aggregate or lookup counts them. The message gives how many and the first line. Fill in the link, or drop the rows if they are noise.',
  },
  {
    code: linkDataCode.unknownParent,
    severity: 'warning',
    title: 'Related rows naming no parent (orphans)',
    explanation:
      'Some rows name a parent key that is not in the parent dataset (for example events of deleted users, or a sample of the parent that leaves them out). They belong to no parent row and no aggregate or lookup counts them. The message gives how many, the first line and its value.',
  },
  {
    code: linkDataCode.repeatedLink,
    severity: 'error',
    title: 'Duplicate links in a one-to-one dataset',
    explanation:
      'The link field is also the dataset\'s `key`, so each parent has at most one related row and `R.field` reads it; but some parents are named by more than one row. Lookups read the first of them. Remove the duplicates, or, if many rows per parent is right, make the link field not the key and use aggregates.',
  },
  {
    code: linkDataCode.linkNotIndexed,
    severity: 'error',
    title: 'Link cannot be followed on the data',
    explanation:
      'The parent\'s key or the link field is not a column of the loaded data, so the related rows of each parent cannot be found: lookups and aggregates over this dataset are unavailable until it is fixed.',
  },
];
