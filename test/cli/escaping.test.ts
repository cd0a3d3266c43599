import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeHtml, jsonForScript } from '../../server/src/cli/report/escape.js';
import { escapeData, escapeProperty, markdownCell } from '../../server/src/cli/reporters/github.js';

const unescapeGithub = (s: string) =>
  s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');

describe('escaping of values from specs and data', () => {
  it('JSON for a script block never contains markup and parses back to the same value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string({ unit: 'binary' }), (value, text) => {
        const doc = { value, text, tricky: `</script><!--${text}` };
        const out = jsonForScript(doc);
        expect(out).not.toMatch(/[<>&\u2028\u2029]/);
        expect(JSON.parse(out)).toEqual(JSON.parse(JSON.stringify(doc)));
      }),
    );
  });

  it('HTML text has no tag or attribute delimiters left and decodes back', () => {
    const decode = (s: string) =>
      s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const out = escapeHtml(s);
        expect(out).not.toMatch(/[<>"']/);
        expect(decode(out)).toBe(s);
      }),
    );
  });

  it('GitHub workflow-command data and properties round-trip and cannot end the command', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const data = escapeData(s);
        expect(data).not.toMatch(/[\r\n]/);
        expect(unescapeGithub(data)).toBe(s);
        const prop = escapeProperty(s);
        expect(prop).not.toMatch(/[\r\n:,]/);
        expect(unescapeGithub(prop)).toBe(s);
      }),
    );
  });

  it('Markdown table cells cannot break the row or open markup', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const cell = markdownCell(s);
        expect(cell).not.toMatch(/[\r\n<>]/);
        // Every pipe is escaped, so the cell stays one cell.
        expect(cell.replace(/\\\\/g, '').match(/(^|[^\\])\|/)).toBeNull();
      }),
    );
  });
});
