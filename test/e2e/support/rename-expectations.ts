/**
 * What a rename of a segment must do to each file, computed without the
 * language server: identifiers outside strings and comments in .segspec, and
 * `@segment(name)` plus the front matter's `segments:` list in Markdown.
 */
export function renameInSegspec(text: string, from: string, to: string): string {
  const token = /"(?:[^"\\\n]|\\.)*"|\/\/[^\n]*|\/\*[\s\S]*?\*\/|[A-Za-z_][A-Za-z0-9_]*/g;
  return text.replace(token, (t) => (t === from ? to : t));
}

export function renameInMarkdown(text: string, from: string, to: string): string {
  const inline = text.replace(new RegExp(`@segment\\(\\s*${from}\\s*\\)`, 'g'), `@segment(${to})`);
  return inline.replace(/^(---\n[\s\S]*?\n---\n)/, (front) =>
    front.replace(/^(segments:.*)$/m, (line) => line.replace(new RegExp(`\\b${from}\\b`, 'g'), to)),
  );
}

export function renamedText(file: string, text: string, from: string, to: string): string {
  return file.endsWith('.md') ? renameInMarkdown(text, from, to) : renameInSegspec(text, from, to);
}

/** The first line where two texts differ, for failure messages. */
export function firstDifference(actual: string, expected: string): string {
  const a = actual.split('\n');
  const e = expected.split('\n');
  for (let i = 0; i < Math.max(a.length, e.length); i += 1) {
    if (a[i] !== e[i]) return `line ${i + 1}: got ${JSON.stringify(a[i])}, expected ${JSON.stringify(e[i])}`;
  }
  return 'no difference';
}
