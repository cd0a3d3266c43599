/** What completion offers where, on half-typed text (the cursor is ┆). */
import { describe, expect, it } from 'vitest';
import { completionContext } from '../../server/src/lsp/completion/context.js';
import { cursor } from './harness.js';

function at(fixture: string) {
  const { text, offset } = cursor(fixture);
  return completionContext(text, offset);
}

describe('completion context', () => {
  it.each([
    ['┆', { kind: 'topLevel' }],
    ['segment a {\n  ┆\n}', { kind: 'property', decl: 'segment', continuesExpression: false }],
    ['persona p {\n  ┆', { kind: 'property', decl: 'persona', continuesExpression: false }],
    ['segment a {\n  kind ┆', { kind: 'segmentKind' }],
    ['segment a {\n  from ┆', { kind: 'datasetName' }],
    ['segment a {\n  where ┆', { kind: 'operand' }],
    ['segment a {\n  where age > 3 and ┆', { kind: 'operand' }],
    ['segment a {\n  where age ┆', { kind: 'operator' }],
    ['segment a {\n  where plan == ┆', { kind: 'value', field: 'plan' }],
    ['segment a {\n  where plan in ["free", ┆]', { kind: 'value', field: 'plan' }],
    ['segment a {\n  where tags contains any [┆', { kind: 'value', field: 'tags' }],
    ['segment a {\n  where x is ┆', { kind: 'words', words: ['missing', 'not missing'] }],
    ['segment a {\n  where age > 3\n  ┆', { kind: 'property', decl: 'segment', continuesExpression: true }],
    ['segment a { kind demographic where ┆', { kind: 'operand' }],
    ['segment a {\n  expect ┆', { kind: 'expectation' }],
    ['segment a {\n  expect disjoint ┆', { kind: 'segmentName' }],
    ['segment a {\n  expect overlap(┆', { kind: 'segmentName' }],
    ['segment a {\n  expect share(device == ┆', { kind: 'value', field: 'device' }],
    ['segment a {\n  example ┆', { kind: 'exampleKind' }],
    ['segment a {\n  example member { ┆', { kind: 'recordKey' }],
    ['persona p {\n  segment ┆', { kind: 'segmentName' }],
    ['persona p {\n  profile { age: 3, plan: ┆', { kind: 'value', field: 'plan' }],
    ['partition q {\n  segments [a, ┆', { kind: 'segmentName' }],
    ['dataset d {\n  fields {\n    ┆', { kind: 'fieldName', declaring: true }],
    ['dataset d {\n  fields {\n    age: ┆', { kind: 'fieldType' }],
    ['dataset d {\n  key ┆', { kind: 'fieldName', declaring: false }],
    ['segment a {\n  // where ┆', { kind: 'none' }],
    ['segment a {\n  description "who ┆', { kind: 'none' }],
  ])('%j', (fixture, situation) => {
    expect(at(fixture).situation).toEqual(situation);
  });

  it('knows the declaration, its dataset and the persona segment', () => {
    expect(at('segment a "A" {\n  from users\n  where ┆').decl).toEqual({ kind: 'segment', name: 'a', from: 'users', segment: undefined });
    expect(at('persona p {\n  segment fans\n  profile { ┆').decl).toMatchObject({ kind: 'persona', segment: 'fans' });
  });

  it('replaces the word or the string content being typed', () => {
    const word = at('segment a {\n  where pla┆n == 1');
    expect(word).toMatchObject({ prefix: 'pla', situation: { kind: 'operand' } });
    expect(word.replaceEnd - word.replaceStart).toBe(4);
    const inString = at('segment a {\n  where plan == "pr┆"');
    expect(inString).toMatchObject({ prefix: 'pr', inString: true, situation: { kind: 'value', field: 'plan' } });
    expect(inString.replaceEnd - inString.replaceStart).toBe(2);
  });

  it('sees through earlier complete declarations and nested brackets', () => {
    const fixture = 'segment a {\n  where x in [1, 2] and (y > 2)\n  example member { x: 1 }\n}\n\nsegment b {\n  where (job == ┆';
    expect(at(fixture).situation).toEqual({ kind: 'value', field: 'job' });
    expect(at('segment a {\n  where x in [1]\n}\n┆').situation).toEqual({ kind: 'topLevel' });
  });
});
