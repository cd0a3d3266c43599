/** A persona draft as a formatted `persona` declaration. */
import { format } from '../format/formatter.js';
import { stringLiteral } from './clauses.js';
import type { PersonaDraft } from './persona.js';

function percent(x: number): string {
  return `${Math.round(x * 100)}%`;
}

export function personaDeclaration(name: string, segment: string, draft: PersonaDraft, size: number): string {
  const starts = draft.distinguishing.map(
    (d) => `Starting point: ${percent(d.inSegment)} of ${segment} have ${d.text.replace(/"/g, "'")}, vs ${percent(d.overall)} of all rows (lift ${d.lift.toFixed(1)})`,
  );
  const lines = [
    `// Persona draft for ${segment} (${size.toLocaleString('en-US')} members): the profile is the member closest to the`,
    `// segment's typical values (Gower distance ${draft.distance.toFixed(3)}). Goals and pains start from what sets the`,
    `// segment apart; replace them with what interviews say.`,
    `persona ${name} {`,
    `  segment ${segment}`,
    `  profile ${draft.profile}`,
  ];
  if (starts.length > 0) {
    lines.push(`  goals [${starts.map(stringLiteral).join(', ')}]`);
    lines.push(`  pains [${starts.map((s) => stringLiteral(s.replace('Starting point:', 'What gets in the way when'))).join(', ')}]`);
  }
  lines.push('}');
  const text = `${lines.join('\n')}\n`;
  return format(text) ?? text;
}
