import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// An independent parser for the dialects no engine here runs. CI installs it: pip install sqlglot.
const script = fileURLToPath(new URL('../../sql/check_sqlglot.py', import.meta.url));

describe('golden SQL parses with sqlglot in every dialect', () => {
  it('every golden statement parses and its string literals decode to the compared value', () => {
    const result = spawnSync('python3', [script], { encoding: 'utf8' });
    if (result.error) throw new Error(`python3 is needed for this test: ${result.error.message}`);
    if (result.status === 2) throw new Error(`sqlglot is missing — run: pip install sqlglot\n${result.stderr}`);
    expect(result.stdout + result.stderr).toMatch(/6 golden files checked .*, 0 problems/);
    expect(result.status).toBe(0);
  });
});
