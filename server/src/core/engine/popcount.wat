;; popcount(a AND b) over 64-bit words, for the overlap matrix (stats.ts).
;; The bytes in popcount-wasm.ts are this module, compiled with wabt's
;; wat2wasm: `node scripts/build-wasm.mjs` writes them, and
;; test/unit/engine/popcount-wasm.test.ts compiles this file again and
;; requires the same bytes.
(module
  (memory (export "memory") 1)
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
    (i32.wrap_i64 (local.get $sum))))
