/** Typed arrays that grow by doubling while a loader does not yet know the row count. */

function nextCapacity(current: number, needed: number): number {
  let capacity = Math.max(16, current);
  while (capacity < needed) capacity *= 2;
  return capacity;
}

export function growFloat64(array: Float64Array<ArrayBuffer>, needed: number): Float64Array<ArrayBuffer> {
  if (needed <= array.length) return array;
  const grown = new Float64Array(nextCapacity(array.length, needed));
  grown.set(array);
  return grown;
}

export function growInt32(array: Int32Array<ArrayBuffer>, needed: number, fill = 0): Int32Array<ArrayBuffer> {
  if (needed <= array.length) return array;
  const grown = new Int32Array(nextCapacity(array.length, needed));
  grown.set(array);
  if (fill !== 0) grown.fill(fill, array.length);
  return grown;
}

export function growUint8(array: Uint8Array<ArrayBuffer>, needed: number, fill = 0): Uint8Array<ArrayBuffer> {
  if (needed <= array.length) return array;
  const grown = new Uint8Array(nextCapacity(array.length, needed));
  grown.set(array);
  if (fill !== 0) grown.fill(fill, array.length);
  return grown;
}

/**
 * Exactly `length` elements. When the array is at most ~12% larger, a view
 * (no copy, no second allocation at the peak); when much larger, a copy so
 * the spare capacity is freed.
 */
function keepView(capacity: number, length: number): boolean {
  return capacity - length <= 64 + (capacity >> 3);
}

export function fitFloat64(array: Float64Array<ArrayBuffer>, length: number): Float64Array<ArrayBuffer> {
  if (array.length === length) return array;
  return keepView(array.length, length) ? array.subarray(0, length) : array.slice(0, length);
}

export function fitInt32(array: Int32Array<ArrayBuffer>, length: number, fill = 0): Int32Array<ArrayBuffer> {
  if (array.length === length) return array;
  if (array.length > length) return keepView(array.length, length) ? array.subarray(0, length) : array.slice(0, length);
  const grown = new Int32Array(length);
  grown.set(array);
  if (fill !== 0) grown.fill(fill, array.length);
  return grown;
}

export function fitUint8(array: Uint8Array<ArrayBuffer>, length: number, fill = 0): Uint8Array<ArrayBuffer> {
  if (array.length === length) return array;
  if (array.length > length) return keepView(array.length, length) ? array.subarray(0, length) : array.slice(0, length);
  const grown = new Uint8Array(length);
  grown.set(array);
  if (fill !== 0) grown.fill(fill, array.length);
  return grown;
}
