import { pathToFileURL } from 'node:url';
import type { CatalogEntry, Finding, Severity } from '../../core/diagnostics/types.js';
import { displayPath } from './findings.js';

export interface SarifOptions {
  cwd: string;
  catalog: ReadonlyMap<string, CatalogEntry>;
  toolVersion: string;
}

const level = (s: Severity): 'error' | 'warning' | 'note' =>
  s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'note';

/**
 * SARIF 2.1.0 with one rule per diagnostic code of the catalog (plus any code
 * a finding carries that the catalog lacks). Locations are relative to the
 * working directory through the `%SRCROOT%` base, which is what code-scanning
 * uploads expect; columns are UTF-16 code units, one-based, end exclusive.
 */
export function formatSarif(findings: readonly Finding[], opts: SarifOptions): string {
  const codes = [...new Set([...opts.catalog.keys(), ...findings.map((f) => f.code)])].sort();
  const ruleIndex = new Map(codes.map((code, i) => [code, i]));
  const rules = codes.map((code) => {
    const entry = opts.catalog.get(code);
    const severity = entry?.severity ?? findings.find((f) => f.code === code)?.severity ?? 'warning';
    const title = entry?.title ?? code;
    const explanation = entry?.explanation ?? title;
    return {
      id: code,
      name: ruleName(title),
      shortDescription: { text: title },
      fullDescription: { text: explanation },
      help: { text: explanation },
      defaultConfiguration: { level: level(severity) },
    };
  });
  const results = findings.map((f) => ({
    ruleId: f.code,
    ruleIndex: ruleIndex.get(f.code) ?? 0,
    level: level(f.severity),
    message: { text: f.message },
    locations: [location(f.file, f.range, opts.cwd)],
    ...(f.related && f.related.length > 0
      ? {
          relatedLocations: f.related.map((r, i) => ({
            id: i,
            ...location(r.file, r.range, opts.cwd),
            message: { text: r.message },
          })),
        }
      : {}),
  }));
  const srcRoot = pathToFileURL(opts.cwd.endsWith('/') ? opts.cwd : opts.cwd + '/').href;
  const doc = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'segspec',
            version: opts.toolVersion,
            rules,
          },
        },
        originalUriBaseIds: { '%SRCROOT%': { uri: srcRoot } },
        columnKind: 'utf16CodeUnits',
        results,
      },
    ],
  };
  return JSON.stringify(doc, null, 2) + '\n';
}

function location(file: string, range: Finding['range'], cwd: string) {
  const shown = displayPath(file, cwd);
  const relativeToRoot = !shown.startsWith('/');
  return {
    physicalLocation: {
      artifactLocation: relativeToRoot
        ? { uri: encodeURI(shown), uriBaseId: '%SRCROOT%' }
        : { uri: pathToFileURL(file).href },
      region: {
        startLine: range.start.line + 1,
        startColumn: range.start.character + 1,
        endLine: range.end.line + 1,
        endColumn: Math.max(range.end.character + 1, range.end.line === range.start.line ? range.start.character + 2 : 1),
      },
    },
  };
}

/** `Unknown field` → `UnknownField` (SARIF rule names are identifiers by convention). */
function ruleName(title: string): string {
  return title
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');
}
