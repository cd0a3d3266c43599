/**
 * An edit after a pause is analysed at once (its diagnostics do not wait out
 * the debounce); edits in quick succession, or during a running analysis,
 * wait so that one analysis covers them.
 */
import { describe, expect, it } from 'vitest';
import { ANALYSIS_DELAY_MS, analysisDelay } from '../../../server/src/lsp/session.js';

describe('when an edit is analysed', () => {
  it('starts at once after a pause', () => {
    expect(analysisDelay(ANALYSIS_DELAY_MS * 4, false)).toBe(0);
    expect(analysisDelay(Infinity, false)).toBe(0);
  });

  it('waits while edits come quickly or an analysis runs', () => {
    expect(analysisDelay(ANALYSIS_DELAY_MS / 5, false)).toBe(ANALYSIS_DELAY_MS);
    expect(analysisDelay(ANALYSIS_DELAY_MS * 4, true)).toBe(ANALYSIS_DELAY_MS);
  });
});
