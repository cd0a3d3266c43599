/** Markdown documents use the same offset ↔ position mapping as spec files. */
export { LineIndex } from '../syntax/positions.js';
