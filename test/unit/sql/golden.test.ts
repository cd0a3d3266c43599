import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../server/src/core/sql/index.js';
import { GOLDEN_DIR, renderGolden } from './golden.js';

describe('per-dialect SQL matches the reviewed golden files', () => {
  it.each(DIALECTS)('%s', (dialect) => {
    const path = fileURLToPath(new URL(`${dialect}.sql`, GOLDEN_DIR));
    const actual = renderGolden(dialect);
    if (process.env.SEGSPEC_UPDATE_GOLDEN === '1') {
      mkdirSync(fileURLToPath(GOLDEN_DIR), { recursive: true });
      writeFileSync(path, actual);
    }
    expect(actual).toBe(readFileSync(path, 'utf8'));
  });
});
