;; popcount(a AND b) over 64-bit words, for the overlap matrix (stats.ts):
;; one pair at a time (andCount) or the whole matrix block by block (pairMatrix).
;; The bytes in popcount-wasm.ts are this module, compiled with wabt's
;; wat2wasm: `node scripts/build-wasm.mjs` writes them, and
;; test/unit/engine/popcount-wasm.test.ts compiles this file again and
;; requires the same bytes.
;; The memory is the caller's, made large enough for the sets before the
;; module is instantiated: growing a memory detaches its old buffer, and a
;; thread that has had a buffer detached runs its typed-array loops slower.
(module
  (import "env" "memory" (memory 1))
  ;; Rows in both: the set bits of a[k] & b[k] for `words` 8-byte words at
  ;; byte offsets $a and $b (both 8-aligned), four words per step.
  (func (export "andCount") (param $a i32) (param $b i32) (param $words i32) (result i32)
    (local $end i32)
    (local $end4 i32)
    (local $sum i64)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $words) (i32.const 3))))
    (local.set $end4 (i32.add (local.get $a) (i32.shl (i32.and (local.get $words) (i32.const -4)) (i32.const 3))))
    (block $unrolled
      (br_if $unrolled (i32.ge_u (local.get $a) (local.get $end4)))
      (loop $four
        (local.set $sum
          (i64.add
            (i64.add
              (i64.add (local.get $sum) (i64.popcnt (i64.and (i64.load (local.get $a)) (i64.load (local.get $b)))))
              (i64.popcnt (i64.and (i64.load offset=8 (local.get $a)) (i64.load offset=8 (local.get $b)))))
            (i64.add
              (i64.popcnt (i64.and (i64.load offset=16 (local.get $a)) (i64.load offset=16 (local.get $b))))
              (i64.popcnt (i64.and (i64.load offset=24 (local.get $a)) (i64.load offset=24 (local.get $b)))))))
        (local.set $a (i32.add (local.get $a) (i32.const 32)))
        (local.set $b (i32.add (local.get $b) (i32.const 32)))
        (br_if $four (i32.lt_u (local.get $a) (local.get $end4)))))
    (block $rest
      (br_if $rest (i32.ge_u (local.get $a) (local.get $end)))
      (loop $one
        (local.set $sum (i64.add (local.get $sum) (i64.popcnt (i64.and (i64.load (local.get $a)) (i64.load (local.get $b))))))
        (local.set $a (i32.add (local.get $a) (i32.const 8)))
        (local.set $b (i32.add (local.get $b) (i32.const 8)))
        (br_if $one (i32.lt_u (local.get $a) (local.get $end)))))
    (i32.wrap_i64 (local.get $sum)))
  ;; Whether any of `words` 8-byte words at byte offset $p is not zero.
  (func $anyBits (param $p i32) (param $words i32) (result i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $p) (i32.shl (local.get $words) (i32.const 3))))
    (block $none
      (br_if $none (i32.ge_u (local.get $p) (local.get $end)))
      (loop $scan
        (if (i64.ne (i64.load (local.get $p)) (i64.const 0)) (then (return (i32.const 1))))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (br_if $scan (i32.lt_u (local.get $p) (local.get $end)))))
    (i32.const 0))

  ;; The overlap matrix over words [$from, $to) of $n sets stored $stride
  ;; bytes apart from byte offset $base: for every i < j, adds the rows in
  ;; both to the i32 cell out[i * n + j] (byte offset $out). The words are
  ;; taken $block at a time, so that one block of every set stays in the
  ;; cache while all pairs read it; a set whose block is all zeros takes part
  ;; in no pair of that block. $act is scratch room for $n i32s. Four pairs
  ;; (i, j..j+3) are counted together, reading the words of i once.
  (func (export "pairMatrix") (param $base i32) (param $n i32) (param $stride i32) (param $from i32) (param $to i32)
    (param $block i32) (param $out i32) (param $act i32)
    (local $len i32) (local $m i32) (local $s i32) (local $ii i32) (local $k i32) (local $i i32)
    (local $pa i32) (local $p0 i32) (local $p1 i32) (local $p2 i32) (local $p3 i32)
    (local $o i32) (local $bytes i32) (local $a i64)
    (local $s0 i64) (local $s1 i64) (local $s2 i64) (local $s3 i64)
    (block $blocks_done
      (loop $blocks
        (br_if $blocks_done (i32.ge_u (local.get $from) (local.get $to)))
        (local.set $len (i32.sub (local.get $to) (local.get $from)))
        (if (i32.gt_u (local.get $len) (local.get $block)) (then (local.set $len (local.get $block))))
        (local.set $bytes (i32.shl (local.get $len) (i32.const 3)))
        ;; The sets with a bit in this block, in order.
        (local.set $m (i32.const 0))
        (local.set $s (i32.const 0))
        (block $listed
          (loop $list
            (br_if $listed (i32.ge_u (local.get $s) (local.get $n)))
            (if (call $anyBits
                  (i32.add (i32.add (local.get $base) (i32.mul (local.get $s) (local.get $stride))) (i32.shl (local.get $from) (i32.const 3)))
                  (local.get $len))
              (then
                (i32.store (i32.add (local.get $act) (i32.shl (local.get $m) (i32.const 2))) (local.get $s))
                (local.set $m (i32.add (local.get $m) (i32.const 1)))))
            (local.set $s (i32.add (local.get $s) (i32.const 1)))
            (br $list)))
        (local.set $ii (i32.const 0))
        (block $rows_done
          (loop $rows
            (br_if $rows_done (i32.ge_u (local.get $ii) (local.get $m)))
            (local.set $i (i32.load (i32.add (local.get $act) (i32.shl (local.get $ii) (i32.const 2)))))
            (local.set $pa (i32.add (i32.add (local.get $base) (i32.mul (local.get $i) (local.get $stride))) (i32.shl (local.get $from) (i32.const 3))))
            (local.set $k (i32.add (local.get $ii) (i32.const 1)))
            ;; Four partners at a time.
            (block $fours_done
              (loop $fours
                (br_if $fours_done (i32.gt_u (i32.add (local.get $k) (i32.const 4)) (local.get $m)))
                (local.set $p0 (call $setAt (local.get $base) (local.get $stride) (local.get $from) (local.get $act) (local.get $k)))
                (local.set $p1 (call $setAt (local.get $base) (local.get $stride) (local.get $from) (local.get $act) (i32.add (local.get $k) (i32.const 1))))
                (local.set $p2 (call $setAt (local.get $base) (local.get $stride) (local.get $from) (local.get $act) (i32.add (local.get $k) (i32.const 2))))
                (local.set $p3 (call $setAt (local.get $base) (local.get $stride) (local.get $from) (local.get $act) (i32.add (local.get $k) (i32.const 3))))
                (local.set $s0 (i64.const 0))
                (local.set $s1 (i64.const 0))
                (local.set $s2 (i64.const 0))
                (local.set $s3 (i64.const 0))
                (local.set $o (i32.const 0))
                (loop $words4
                  (local.set $a (i64.load (i32.add (local.get $pa) (local.get $o))))
                  (local.set $s0 (i64.add (local.get $s0) (i64.popcnt (i64.and (local.get $a) (i64.load (i32.add (local.get $p0) (local.get $o)))))))
                  (local.set $s1 (i64.add (local.get $s1) (i64.popcnt (i64.and (local.get $a) (i64.load (i32.add (local.get $p1) (local.get $o)))))))
                  (local.set $s2 (i64.add (local.get $s2) (i64.popcnt (i64.and (local.get $a) (i64.load (i32.add (local.get $p2) (local.get $o)))))))
                  (local.set $s3 (i64.add (local.get $s3) (i64.popcnt (i64.and (local.get $a) (i64.load (i32.add (local.get $p3) (local.get $o)))))))
                  (local.set $o (i32.add (local.get $o) (i32.const 8)))
                  (br_if $words4 (i32.lt_u (local.get $o) (local.get $bytes))))
                (call $addCell (local.get $out) (local.get $n) (local.get $i) (local.get $act) (local.get $k) (local.get $s0))
                (call $addCell (local.get $out) (local.get $n) (local.get $i) (local.get $act) (i32.add (local.get $k) (i32.const 1)) (local.get $s1))
                (call $addCell (local.get $out) (local.get $n) (local.get $i) (local.get $act) (i32.add (local.get $k) (i32.const 2)) (local.get $s2))
                (call $addCell (local.get $out) (local.get $n) (local.get $i) (local.get $act) (i32.add (local.get $k) (i32.const 3)) (local.get $s3))
                (local.set $k (i32.add (local.get $k) (i32.const 4)))
                (br $fours)))
            ;; The partners left, one at a time.
            (block $ones_done
              (loop $ones
                (br_if $ones_done (i32.ge_u (local.get $k) (local.get $m)))
                (local.set $p0 (call $setAt (local.get $base) (local.get $stride) (local.get $from) (local.get $act) (local.get $k)))
                (local.set $s0 (i64.const 0))
                (local.set $o (i32.const 0))
                (loop $words1
                  (local.set $s0 (i64.add (local.get $s0)
                    (i64.popcnt (i64.and (i64.load (i32.add (local.get $pa) (local.get $o))) (i64.load (i32.add (local.get $p0) (local.get $o)))))))
                  (local.set $o (i32.add (local.get $o) (i32.const 8)))
                  (br_if $words1 (i32.lt_u (local.get $o) (local.get $bytes))))
                (call $addCell (local.get $out) (local.get $n) (local.get $i) (local.get $act) (local.get $k) (local.get $s0))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $ones)))
            (local.set $ii (i32.add (local.get $ii) (i32.const 1)))
            (br $rows)))
        (local.set $from (i32.add (local.get $from) (local.get $len)))
        (br $blocks))))

  ;; Byte offset of word $from of the set listed at act[$k].
  (func $setAt (param $base i32) (param $stride i32) (param $from i32) (param $act i32) (param $k i32) (result i32)
    (i32.add
      (i32.add (local.get $base) (i32.mul (i32.load (i32.add (local.get $act) (i32.shl (local.get $k) (i32.const 2)))) (local.get $stride)))
      (i32.shl (local.get $from) (i32.const 3))))

  ;; out[i * n + act[k]] += sum
  (func $addCell (param $out i32) (param $n i32) (param $i i32) (param $act i32) (param $k i32) (param $sum i64)
    (local $cell i32)
    (local.set $cell
      (i32.add (local.get $out)
        (i32.shl
          (i32.add (i32.mul (local.get $i) (local.get $n)) (i32.load (i32.add (local.get $act) (i32.shl (local.get $k) (i32.const 2)))))
          (i32.const 2))))
    (i32.store (local.get $cell) (i32.add (i32.load (local.get $cell)) (i32.wrap_i64 (local.get $sum))))))
