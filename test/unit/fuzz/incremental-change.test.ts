/**
 * The fuzzer's incremental edits must leave the server with the client's
 * text: a boundary between the CR and LF of a CRLF has no LSP position (found
 * while chasing "diagnostics outside the text": the server cut before the CR).
 */
import { describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { incrementalChange } from '../../fuzz/server-target.js';

function applied(old: string, text: string): string {
  const document = TextDocument.create('file:///fuzz.segspec', 'segspec', 1, old);
  TextDocument.update(document, [incrementalChange(old, text)], 2);
  return document.getText();
}

describe('the fuzzer\'s incremental edits', () => {
  const cases: Array<[string, string, string]> = [
    ['text typed between CR and LF (a bare CR appears)', 'segment a {\r\n}\r\n', 'segment a {\rx\n}\r\n'],
    ['the LF of a CRLF removed', 'a\r\nb', 'a\rb'],
    ['the CR of a CRLF removed', 'a\r\nb', 'a\nb'],
    ['a CRLF split by a new line break', 'a\r\nb', 'a\r\n\nb'],
    ['an edit ending between CR and LF', 'ab\r\nc', 'aX\r\nc'],
    ['plain text', 'dataset d {}', 'dataset e {}'],
  ];
  for (const [what, old, text] of cases) {
    it(`leave the server with the client's text: ${what}`, () => {
      expect(applied(old, text)).toBe(text);
    });
  }
});
