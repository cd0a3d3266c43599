/** Publishes findings as diagnostics, only for the document versions they were computed from. */
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import type { Finding, Severity } from '../../core/diagnostics/types.js';
import type { FeatureContext } from '../context.js';
import type { Snapshot } from '../session.js';
import { pathToUri } from '../uris.js';
import { toLspRange } from '../ranges.js';

const severities: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

export function findingsOf(snapshot: Snapshot, path: string): Finding[] {
  return snapshot.analysis.findings.filter((f) => f.file === path);
}

export function toDiagnostic(finding: Finding, ctx: FeatureContext, uriOf: (path: string) => string): Diagnostic {
  const diagnostic: Diagnostic = {
    range: toLspRange(finding.range),
    severity: severities[finding.severity],
    code: finding.code,
    source: 'segspec',
    message: finding.message,
  };
  if (ctx.codeDescriptionCommand) {
    diagnostic.codeDescription = {
      href: `command:${ctx.codeDescriptionCommand}?${encodeURIComponent(JSON.stringify([finding.code]))}`,
    };
  }
  if (finding.related?.length) {
    diagnostic.relatedInformation = finding.related.map((r) => ({
      location: { uri: uriOf(r.file), range: toLspRange(r.range) },
      message: r.message,
    }));
  }
  if (finding.data) diagnostic.data = { code: finding.code, ...finding.data };
  return diagnostic;
}

export function registerDiagnostics(ctx: FeatureContext): void {
  const { connection, documents, session } = ctx;
  const uriOf = (path: string): string => session.documentFor(path)?.uri ?? pathToUri(path);

  session.onAnalyzed((snapshot) => {
    for (const document of documents.all()) {
      const path = session.pathOf(document);
      const seen = snapshot.versions.get(path);
      // A newer edit is pending: its own analysis will publish.
      if (seen === undefined || seen !== document.version) continue;
      const diagnostics = findingsOf(snapshot, path).map((f) => toDiagnostic(f, ctx, uriOf));
      void connection.sendDiagnostics({ uri: document.uri, version: document.version, diagnostics });
    }
  });

  documents.onDidClose((e) => {
    void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });
}
