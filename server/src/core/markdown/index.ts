export { parseMarkdown, referenceAt } from './references.js';
export type { MarkdownDocument, MarkdownReference, MarkdownReferenceKind } from './references.js';
export { markdownCompletionContext } from './completion-context.js';
export type { MarkdownCompletionContext } from './completion-context.js';
export { LineIndex } from './line-index.js';
