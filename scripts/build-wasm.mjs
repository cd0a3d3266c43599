// Compiles server/src/core/engine/popcount.wat with wabt (a devDependency)
// and writes the bytes, base64, into popcount-wasm.ts. Run after editing the
// .wat; test/unit/engine/popcount-wasm.test.ts fails while the two differ.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import initWabt from 'wabt';

const watPath = fileURLToPath(new URL('../server/src/core/engine/popcount.wat', import.meta.url));
const tsPath = fileURLToPath(new URL('../server/src/core/engine/popcount-wasm.ts', import.meta.url));

export async function compilePopcountWat() {
  const wabt = await initWabt();
  const module = wabt.parseWat('popcount.wat', readFileSync(watPath, 'utf8'));
  try {
    module.validate();
    return Buffer.from(module.toBinary({}).buffer);
  } finally {
    module.destroy();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const base64 = (await compilePopcountWat()).toString('base64');
  const source = readFileSync(tsPath, 'utf8');
  const updated = source.replace(/const POPCOUNT_WASM =\n  '[^']*';/, `const POPCOUNT_WASM =\n  '${base64}';`);
  if (updated === source && !source.includes(base64)) throw new Error('POPCOUNT_WASM not found in popcount-wasm.ts');
  writeFileSync(tsPath, updated);
  console.log(`popcount-wasm.ts: ${base64.length} base64 characters`);
}
