import { describe, expect, it } from 'vitest';
import { Workspace } from '../../../server/src/core/workspace.js';
import { MemoryHost } from './memory-host.js';

const spec = (source: string) => `dataset users {
  source "${source}"
  key id
  fields { age: integer? }
}
segment young {
  where age between 18 and 29 and plan == "pro"
  example member { age: 20, plan: "pro" }
  example nonmember { age: 50, plan: "pro" }
  expect size >= 5%
}
segment older { where age > p50(age) example member { age: 99 } }
segment declared_only { where age >= 65 example member { age: 30 } }
persona rosa { segment young profile { age: 20, plan: "pro" } }
persona otto { segment older profile { age: 80 } }
partition p { segments [young, older] exclusive exhaustive }
`;

async function codes(files: Record<string, string>, path = '/ws/spec.segspec'): Promise<string[]> {
  const ws = new Workspace(new MemoryHost(files), '/ws');
  const analysis = await ws.analyze();
  return analysis.findings.filter((f) => f.file === path).map((f) => f.code);
}

describe('after a data file that cannot be read', () => {
  it('a missing file gives only its own error, not example, persona or partition findings that follow from it', async () => {
    const found = await codes({ '/ws/spec.segspec': spec('missing.csv') });
    // SEG207 stays for the one example that fails on declared fields alone (age 30 is not >= 65).
    expect(found.sort()).toEqual(['SEG101', 'SEG207']);
  });

  it('an unreadable JSON file gives only its own error', async () => {
    const found = await codes({ '/ws/spec.segspec': spec('users.json'), '/ws/users.json': '{"id": 1, "age": ' });
    expect(found.sort()).toEqual(['SEG113', 'SEG207']);
  });

  it('the same records are judged once the data is there', async () => {
    const csv = 'id,age,plan\n1,20,pro\n2,99,free\n3,40,free\n';
    const ws = new Workspace(new MemoryHost({ '/ws/spec.segspec': spec('users.csv'), '/ws/users.csv': csv }), '/ws');
    const analysis = await ws.analyze();
    expect(analysis.results.personas.get('rosa')?.member).toBe(true);
    expect(analysis.results.personas.get('otto')?.member).toBe(true);
    expect(analysis.findings.filter((f) => f.code === 'SEG207').map((f) => f.range.start.line)).toEqual([12]);
  });
});
