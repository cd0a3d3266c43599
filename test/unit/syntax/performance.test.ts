import { describe, expect, it } from 'vitest';
import { parse } from '../../../server/src/core/syntax/index.js';

/** A deterministic spec of about `lines` lines, with every kind of declaration. */
function generateSpec(lines: number): string {
  const out = [
    'dataset users "Users" {',
    '  source "users.csv"',
    '  key user_id',
    '  fields {',
    '    user_id: string',
    '    age: integer',
    '  }',
    '}',
    '',
  ];
  for (let i = 0; out.length < lines; i++) {
    out.push(
      `segment s${i} "Segment ${i}" {`,
      '  kind behavioral',
      `  description "Generated segment number ${i}."`,
      '  where job in ["designer", "developer", "writer"]',
      '    and plan != "enterprise"',
      `    and age between 18 and ${20 + (i % 40)}`,
      '    and last_seen within last 30 days or signup_date > 90 days ago',
      '  expect size between 8% and 20%',
      '  expect share(device == "desktop") >= 50% warn',
      '  example member { job: "designer", plan: "pro", integrations: ["invoicing"] }',
      '  tags ["q3", "monetization"]',
      '}',
      '',
      `persona p${i} { segment s${i} quote "Hello." goals ["a", "b"] }`,
      '',
    );
  }
  return out.join('\n');
}

describe('performance', () => {
  it('parses a 2,000-line spec quickly after warm-up', () => {
    const text = generateSpec(2000);
    const lineCount = text.split('\n').length;
    for (let i = 0; i < 5; i++) parse(text);
    const wall: number[] = [];
    const cpu: number[] = [];
    let declarations = 0;
    for (let i = 0; i < 15; i++) {
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const file = parse(text);
      wall.push(performance.now() - t0);
      const used = process.cpuUsage(cpu0);
      cpu.push((used.user + used.system) / 1000);
      declarations = file.declarations.length;
      expect(file.errors).toEqual([]);
    }
    const median = (values: number[]): number => [...values].sort((a, b) => a - b)[values.length >> 1];
    console.log(
      `parse of a ${lineCount}-line spec (${declarations} declarations): median ${median(wall).toFixed(1)} ms wall, ` +
        `${median(cpu).toFixed(1)} ms CPU, best ${Math.min(...wall).toFixed(1)} ms`,
    );
    expect(declarations).toBeGreaterThan(200);
    // Generous bound: the machine running the suite may be busy.
    expect(Math.min(...wall)).toBeLessThan(500);
  });
});
