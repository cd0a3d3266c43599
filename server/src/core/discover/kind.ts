/**
 * A segment's `kind`, guessed from the names of the fields its rule uses
 * (SPEC §4.2 kinds); behavioural when nothing else fits.
 */
export type SegmentKind = 'demographic' | 'geographic' | 'behavioral' | 'psychographic' | 'technographic' | 'needs' | 'value';

const PATTERNS: Array<[SegmentKind, RegExp]> = [
  ['geographic', /country|city|region|state|province|zip|postal|geo|location|latitude|longitude|timezone|market|continent/i],
  ['technographic', /device|\bos\b|os_|browser|platform|app_version|version|integration|sdk|client|hardware|mobile|desktop|tech|stack/i],
  ['value', /ltv|revenue|spend|mrr|arr|price|paid|amount|clv|purchase|billing|credit_amount|order_value|value_usd/i],
  ['demographic', /age|gender|sex|income|education|job|occupation|marital|student|household|family|personal_status|employment|dependents|senior/i],
  ['psychographic', /interest|attitude|lifestyle|motivation|nps|satisfaction|opinion|personality|preference/i],
  ['needs', /need|goal|pain|use_case|usecase|reason/i],
];

export function guessKind(fields: readonly string[]): SegmentKind {
  const votes = new Map<SegmentKind, number>();
  for (const field of fields) {
    const hit = PATTERNS.find(([, re]) => re.test(field));
    const kind = hit ? hit[0] : 'behavioral';
    votes.set(kind, (votes.get(kind) ?? 0) + 1);
  }
  let best: SegmentKind = 'behavioral';
  let most = 0;
  for (const [kind, n] of votes) {
    if (n > most) {
      best = kind;
      most = n;
    }
  }
  return best;
}
