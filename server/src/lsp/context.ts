import type { ClientCapabilities, Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Session } from './session.js';

/** What every feature module gets: the connection, the open documents and the analysis session. */
export interface FeatureContext {
  connection: Connection;
  documents: TextDocuments<TextDocument>;
  session: Session;
  /** Client command that shows a diagnostic code's explanation (VS Code); docs are linked otherwise. */
  codeDescriptionCommand: string | undefined;
  /** Set on `initialize`. */
  capabilities: ClientCapabilities;
}
