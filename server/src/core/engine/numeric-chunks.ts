/**
 * Numeric expressions over columns (`sessions_30d * 4`, `ltv_usd / seats`,
 * `len(tags)`) evaluated a chunk of rows at a time into small reused
 * buffers, so a comparison of such an expression writes its bits without a
 * full-length array per operand and per result.
 *
 * A chunk is its values and a bitset of the rows whose value is missing:
 * arithmetic ORs its operands' masks and adds a division by zero, so the
 * per-row loops stay branch-free and the values of missing rows are never
 * read. A NaN result (infinity minus infinity) is unknown too, as in the
 * reference interpreter (values.ts `compareScalars` cannot order NaN).
 */
import { clearTail, emptyBits, type Bitset, type TriBits } from './bitset.js';
import { intervalInto, nanInto } from './row-bits.js';
import { unreachable } from '../util/unreachable.js';

export type ArithOp = '+' | '-' | '*' | '/';

export type NumProgram =
  /** `missing`: the column's missing rows as a bitset, null when none is; `missingBytes`: its own mask, a byte per row. */
  | { kind: 'column'; values: Float64Array; missing: Bitset | null; missingBytes: Uint8Array }
  /** A missing constant is `null`: every row is missing. */
  | { kind: 'constant'; value: number | null }
  | { kind: 'negate'; operand: NumProgram }
  | { kind: 'arith'; op: ArithOp; left: NumProgram; right: NumProgram }
  /** The item count of each row's list. */
  | { kind: 'listLength'; offsets: Int32Array; missing: Bitset | null }
  /** A number per dictionary code (e.g. the length of each distinct text); code -1 reads 0. */
  | { kind: 'byCode'; codes: Int32Array; byCode: Float64Array; missing: Bitset | null };

/** Rows per chunk: a multiple of 32, small enough that a chunk's buffers stay in the L1/L2 cache. */
export const CHUNK_ROWS = 2048;
const CHUNK_WORDS = CHUNK_ROWS >>> 5;

interface Chunk {
  values: Float64Array;
  missing: Uint32Array;
}

/** Scratch chunks, reused as the expression nests. */
class Buffers {
  private readonly free: Chunk[] = [];
  take(): Chunk {
    return this.free.pop() ?? { values: new Float64Array(CHUNK_ROWS), missing: new Uint32Array(CHUNK_WORDS) };
  }
  give(chunk: Chunk): void {
    this.free.push(chunk);
  }
}

/** Copies the words of a row mask for rows [start, start + n) (start a multiple of 32). */
function copyMask(mask: Bitset | null, start: number, n: number, out: Uint32Array): void {
  const words = (n + 31) >>> 5;
  if (!mask) out.fill(0, 0, words);
  else out.set(mask.subarray(start >>> 5, (start >>> 5) + words));
}

/**
 * The values of rows [start, start + n) (start a multiple of 32): the
 * chunk's own buffer, or a view of a column's values, which needs no copy.
 * The rows' missing mask is written into the chunk.
 */
function fill(p: NumProgram, start: number, n: number, out: Chunk, buffers: Buffers): Float64Array {
  const values = out.values;
  switch (p.kind) {
    case 'column':
      copyMask(p.missing, start, n, out.missing);
      return p.values.subarray(start, start + n);
    case 'constant':
      out.missing.fill(p.value === null ? 0xffffffff : 0, 0, (n + 31) >>> 5);
      return values.fill(p.value ?? 0, 0, n);
    case 'negate': {
      const xs = fill(p.operand, start, n, out, buffers);
      for (let j = 0; j < n; j++) values[j] = -xs[j];
      return values;
    }
    case 'arith':
      fillArith(p.op, p.left, p.right, start, n, out, buffers);
      return values;
    case 'listLength': {
      const offsets = p.offsets;
      for (let j = 0; j < n; j++) values[j] = offsets[start + j + 1] - offsets[start + j];
      copyMask(p.missing, start, n, out.missing);
      return values;
    }
    case 'byCode': {
      const { codes, byCode } = p;
      for (let j = 0; j < n; j++) {
        const c = codes[start + j];
        values[j] = c < 0 ? 0 : byCode[c];
      }
      copyMask(p.missing, start, n, out.missing);
      return values;
    }
    default:
      return unreachable(p);
  }
}

/** Writes `left op right` for rows [start, start + n) into the chunk's buffer and mask. */
function fillArith(op: ArithOp, left: NumProgram, right: NumProgram, start: number, n: number, out: Chunk, buffers: Buffers): void {
  const values = out.values;
  const words = (n + 31) >>> 5;
  // A constant right operand needs no chunk of its own (`x * 4`, `x / 100`).
  if (right.kind === 'constant' && right.value !== null && right.value !== 0) {
    const xs = fill(left, start, n, out, buffers);
    const c = right.value;
    switch (op) {
      case '+':
        for (let j = 0; j < n; j++) values[j] = xs[j] + c;
        return;
      case '-':
        for (let j = 0; j < n; j++) values[j] = xs[j] - c;
        return;
      case '*':
        for (let j = 0; j < n; j++) values[j] = xs[j] * c;
        return;
      case '/':
        for (let j = 0; j < n; j++) values[j] = xs[j] / c;
        return;
      default:
        return unreachable(op);
    }
  }
  const other = buffers.take();
  const xs = fill(left, start, n, out, buffers);
  const ys = fill(right, start, n, other, buffers);
  const missing = out.missing;
  for (let w = 0; w < words; w++) missing[w] |= other.missing[w];
  switch (op) {
    case '+':
      for (let j = 0; j < n; j++) values[j] = xs[j] + ys[j];
      break;
    case '-':
      for (let j = 0; j < n; j++) values[j] = xs[j] - ys[j];
      break;
    case '*':
      for (let j = 0; j < n; j++) values[j] = xs[j] * ys[j];
      break;
    case '/':
      // Dividing by zero is missing (reference.ts `arith`).
      for (let w = 0; w < words; w++) {
        const base = w << 5;
        const end = Math.min(32, n - base);
        let zw = 0;
        for (let b = 0; b < end; b++) {
          const j = base + b;
          const r = ys[j];
          zw |= +(r === 0) << b;
          values[j] = xs[j] / r;
        }
        missing[w] |= zw;
      }
      break;
    default:
      return unreachable(op);
  }
  buffers.give(other);
}

/** The whole expression as a full-length vector (1 = missing, NaN results too); for aggregates. */
export function materialize(p: NumProgram, rows: number): { values: Float64Array; missing: Uint8Array } {
  const values = new Float64Array(rows);
  const missing = new Uint8Array(rows);
  const buffers = new Buffers();
  const chunk = buffers.take();
  for (let start = 0; start < rows; start += CHUNK_ROWS) {
    const n = Math.min(CHUNK_ROWS, rows - start);
    const xs = fill(p, start, n, chunk, buffers);
    for (let j = 0; j < n; j++) {
      const x = xs[j];
      values[start + j] = x;
      missing[start + j] = ((chunk.missing[j >>> 5] >>> (j & 31)) & 1) | +(x !== x);
    }
  }
  return { values, missing };
}

/**
 * Rows whose value lies in [lo, hi] (closed bounds; open ones are passed as
 * the neighbouring double); `negate` takes the rows outside instead. Missing
 * and NaN values are unknown either way.
 */
export function intervalChunks(p: NumProgram, lo: number, hi: number, negate: boolean, rows: number): TriBits {
  const t = emptyBits(rows);
  const u = emptyBits(rows);
  const buffers = new Buffers();
  const chunk = buffers.take();
  const inside = new Uint32Array(CHUNK_WORDS);
  const nan = new Uint32Array(CHUNK_WORDS);
  for (let start = 0; start < rows; start += CHUNK_ROWS) {
    const n = Math.min(CHUNK_ROWS, rows - start);
    const xs = fill(p, start, n, chunk, buffers);
    intervalInto(xs, lo, hi, n, inside);
    nanInto(xs, n, nan);
    for (let k = 0, words = (n + 31) >>> 5; k < words; k++) {
      const uw = nan[k] | chunk.missing[k];
      const w = (start >>> 5) + k;
      t[w] = negate ? ~(inside[k] | uw) : inside[k] & ~uw;
      u[w] = uw;
    }
  }
  clearTail(t, rows);
  clearTail(u, rows);
  return { t, u };
}

/** `a op b` row by row; a missing or NaN side is unknown. */
export function compareChunks(op: '==' | '!=' | '<' | '<=' | '>' | '>=', a: NumProgram, b: NumProgram, rows: number): TriBits {
  // `a > b` is `b < a`: three kernels (<, <=, ==), and `!=` is the rows where == fails.
  const swap = op === '>' || op === '>=';
  const kernel = op === '<' || op === '>' ? compareLt : op === '<=' || op === '>=' ? compareLe : compareEq;
  const negate = op === '!=';
  const t = emptyBits(rows);
  const u = emptyBits(rows);
  const buffers = new Buffers();
  const left = buffers.take();
  const right = buffers.take();
  const holds = new Uint32Array(CHUNK_WORDS);
  const fails = new Uint32Array(CHUNK_WORDS);
  for (let start = 0; start < rows; start += CHUNK_ROWS) {
    const n = Math.min(CHUNK_ROWS, rows - start);
    const xs = fill(a, start, n, left, buffers);
    const ys = fill(b, start, n, right, buffers);
    if (swap) kernel(ys, xs, n, holds, fails);
    else kernel(xs, ys, n, holds, fails);
    for (let k = 0, words = (n + 31) >>> 5; k < words; k++) {
      // A row that neither holds nor fails has a NaN side: unknown.
      const uw = ~(holds[k] | fails[k]) | left.missing[k] | right.missing[k];
      const w = (start >>> 5) + k;
      t[w] = (negate ? fails[k] : holds[k]) & ~uw;
      u[w] = uw;
    }
  }
  clearTail(u, rows);
  return { t, u };
}

/**
 * Writes per 32 rows the bits of the rows where the comparison holds and where it fails.
 * One kernel per operator rather than one taking the operator: the compare stays inlined in the row loop,
 * four rows per step (row-bits.ts says why).
 */
type Kernel = (xs: Float64Array, ys: Float64Array, n: number, holds: Uint32Array, fails: Uint32Array) => void;

const compareLt: Kernel = (xs, ys, n, holds, fails) => {
  const full = n >>> 5;
  for (let w = 0; w < full; w++) {
    let i = w << 5;
    let h = 0;
    let f = 0;
    for (let b = 0; b < 32; b += 4, i += 4) {
      const x0 = xs[i];
      const x1 = xs[i + 1];
      const x2 = xs[i + 2];
      const x3 = xs[i + 3];
      const y0 = ys[i];
      const y1 = ys[i + 1];
      const y2 = ys[i + 2];
      const y3 = ys[i + 3];
      h |=
        (+(x0 < y0) |
          (+(x1 < y1) << 1) |
          (+(x2 < y2) << 2) |
          (+(x3 < y3) << 3)) <<
        b;
      f |=
        (+(x0 >= y0) |
          (+(x1 >= y1) << 1) |
          (+(x2 >= y2) << 2) |
          (+(x3 >= y3) << 3)) <<
        b;
    }
    holds[w] = h;
    fails[w] = f;
  }
  if (n & 31) {
    let h = 0;
    let f = 0;
    for (let i = full << 5; i < n; i++) {
      const x = xs[i];
      const y = ys[i];
      h |= +(x < y) << (i & 31);
      f |= +(x >= y) << (i & 31);
    }
    holds[full] = h;
    fails[full] = f;
  }
};

const compareLe: Kernel = (xs, ys, n, holds, fails) => {
  const full = n >>> 5;
  for (let w = 0; w < full; w++) {
    let i = w << 5;
    let h = 0;
    let f = 0;
    for (let b = 0; b < 32; b += 4, i += 4) {
      const x0 = xs[i];
      const x1 = xs[i + 1];
      const x2 = xs[i + 2];
      const x3 = xs[i + 3];
      const y0 = ys[i];
      const y1 = ys[i + 1];
      const y2 = ys[i + 2];
      const y3 = ys[i + 3];
      h |=
        (+(x0 <= y0) |
          (+(x1 <= y1) << 1) |
          (+(x2 <= y2) << 2) |
          (+(x3 <= y3) << 3)) <<
        b;
      f |=
        (+(x0 > y0) |
          (+(x1 > y1) << 1) |
          (+(x2 > y2) << 2) |
          (+(x3 > y3) << 3)) <<
        b;
    }
    holds[w] = h;
    fails[w] = f;
  }
  if (n & 31) {
    let h = 0;
    let f = 0;
    for (let i = full << 5; i < n; i++) {
      const x = xs[i];
      const y = ys[i];
      h |= +(x <= y) << (i & 31);
      f |= +(x > y) << (i & 31);
    }
    holds[full] = h;
    fails[full] = f;
  }
};

const compareEq: Kernel = (xs, ys, n, holds, fails) => {
  const full = n >>> 5;
  for (let w = 0; w < full; w++) {
    let i = w << 5;
    let h = 0;
    let f = 0;
    for (let b = 0; b < 32; b += 4, i += 4) {
      const x0 = xs[i];
      const x1 = xs[i + 1];
      const x2 = xs[i + 2];
      const x3 = xs[i + 3];
      const y0 = ys[i];
      const y1 = ys[i + 1];
      const y2 = ys[i + 2];
      const y3 = ys[i + 3];
      h |=
        (+(x0 === y0) |
          (+(x1 === y1) << 1) |
          (+(x2 === y2) << 2) |
          (+(x3 === y3) << 3)) <<
        b;
      f |=
        ((+(x0 < y0) | +(x0 > y0)) |
          ((+(x1 < y1) | +(x1 > y1)) << 1) |
          ((+(x2 < y2) | +(x2 > y2)) << 2) |
          ((+(x3 < y3) | +(x3 > y3)) << 3)) <<
        b;
    }
    holds[w] = h;
    fails[w] = f;
  }
  if (n & 31) {
    let h = 0;
    let f = 0;
    for (let i = full << 5; i < n; i++) {
      const x = xs[i];
      const y = ys[i];
      h |= +(x === y) << (i & 31);
      f |= (+(x < y) | +(x > y)) << (i & 31);
    }
    holds[full] = h;
    fails[full] = f;
  }
};
