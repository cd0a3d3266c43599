/** A persona draft as a formatted `persona` declaration. */
import { format } from '../format/formatter.js';
import { stringLiteral } from './clauses.js';
import type { PersonaDraft } from './persona.js';

function percent(x: number): string {
  return `${Math.round(x * 100)}%`;
}

export function personaDeclaration(name: string, segment: string, draft: PersonaDraft, size: number): string {
  const facts = draft.distinguishing.map((d) => ({
    clause: d.text.replace(/"/g, "'"),
    numbers: `${percent(d.inSegment)} of members vs ${percent(d.overall)} of all rows, lift ${d.lift.toFixed(1)}`,
  }));
  const lines = [
    `// Persona draft for ${segment} (${size.toLocaleString('en-US')} members): the profile is the member closest to the`,
    `// segment's typical values (Gower distance ${draft.distance.toFixed(3)}). Goals and pains start from what sets the`,
    `// segment apart; replace them with what interviews say.`,
    `persona ${name} {`,
    `  segment ${segment}`,
    `  profile ${draft.profile}`,
  ];
  if (facts.length > 0) {
    lines.push(`  goals [${facts.map((f) => stringLiteral(`Starting point: what do members where ${f.clause} want? (${f.numbers})`)).join(', ')}]`);
    lines.push(`  pains [${facts.map((f) => stringLiteral(`Starting point: what gets in the way of members where ${f.clause}? (${f.numbers})`)).join(', ')}]`);
  }
  lines.push('}');
  const text = `${lines.join('\n')}\n`;
  return format(text) ?? text;
}
