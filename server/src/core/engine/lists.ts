/**
 * A list<string> column with few distinct items (at most 8) as one byte per
 * row, a bit per item code: `contains`, `contains any` and `contains all`
 * then test a row in one step (row-bits.ts) instead of walking its items.
 */

/** The most distinct items a column may have for itemMasks. */
export const MASK_ITEMS = 8;

/** Each row's item codes as a bitmask (bit c set when the row holds item code c); codes must be below MASK_ITEMS. */
export function itemMasks(offsets: Int32Array, itemCodes: Int32Array, rows: number): Uint8Array {
  const masks = new Uint8Array(rows);
  const items = offsets[rows];
  let i = 0;
  // A loop over each row's items mispredicts its end on most rows. Instead the
  // first four item slots are read whatever the row's length (a slot past it
  // holds a later row's item) and masked off by arithmetic, not branches.
  for (; i < rows; i++) {
    const start = offsets[i];
    if (start + 4 > items) break;
    const length = offsets[i + 1] - start;
    let mask =
      (-+(length > 0) & (1 << itemCodes[start])) |
      (-+(length > 1) & (1 << itemCodes[start + 1])) |
      (-+(length > 2) & (1 << itemCodes[start + 2])) |
      (-+(length > 3) & (1 << itemCodes[start + 3]));
    for (let k = start + 4; k < start + length; k++) mask |= 1 << itemCodes[k];
    masks[i] = mask;
  }
  // The last rows, whose four slots would run past the items.
  for (; i < rows; i++) {
    let mask = 0;
    for (let k = offsets[i]; k < offsets[i + 1]; k++) mask |= 1 << itemCodes[k];
    masks[i] = mask;
  }
  return masks;
}
