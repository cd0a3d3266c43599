import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeHtml, jsonForScript } from '../../server/src/cli/report/escape.js';
import { escapeData, escapeProperty, markdownCell } from '../../server/src/cli/reporters/github.js';
import { escapeControls } from '../../server/src/cli/reporters/safe-text.js';

/** What a terminal or log would act on: C0 except tab and LF, DEL, C1, bidi controls, line/paragraph separators. */
const UNSAFE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200E\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069]/;

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

  it('GitHub workflow-command data and properties cannot end the command, carry no raw control characters, and round-trip text without them', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const data = escapeData(s);
        expect(data).not.toMatch(/[\r\n]/);
        expect(data).not.toMatch(UNSAFE);
        const prop = escapeProperty(s);
        expect(prop).not.toMatch(/[\r\n:,]/);
        expect(prop).not.toMatch(UNSAFE);
        const clean = s.replace(new RegExp(UNSAFE, 'g'), '');
        expect(unescapeGithub(escapeData(clean))).toBe(clean);
        expect(unescapeGithub(escapeProperty(clean))).toBe(clean);
      }),
    );
  });

  it('control characters, DEL, C1 and bidi controls are shown as visible escapes; tabs and line feeds stay', () => {
    expect(escapeControls('a\u001b[31mred\u0000\u0007\u007f\u009b2J\u202egnp.exe\u2066x\rover')).toBe(
      'a\\x1b[31mred\\x00\\x07\\x7f\\x9b2J\\u202egnp.exe\\u2066x\\x0dover',
    );
    expect(escapeControls('tab\there\nnext line é ✓ 😀')).toBe('tab\there\nnext line é ✓ 😀');
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(escapeControls(s)).not.toMatch(UNSAFE);
      }),
    );
  });

  it('Markdown table cells cannot break the row or open markup', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const cell = markdownCell(s);
        expect(cell).not.toMatch(/[\r\n<>]/);
        expect(cell).not.toMatch(UNSAFE);
        // Every pipe is escaped, so the cell stays one cell.
        expect(cell.replace(/\\\\/g, '').match(/(^|[^\\])\|/)).toBeNull();
      }),
    );
  });
});
