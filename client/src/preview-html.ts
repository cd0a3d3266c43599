/**
 * The preview page's HTML: a strict content security policy (no inline code,
 * scripts only with this page's nonce, nothing remote), echarts and the page
 * script loaded from the extension.
 */
export interface PreviewHtmlOptions {
  /** The webview's `cspSource` (where extension resources are served from). */
  cspSource: string;
  nonce: string;
  echartsUri: string;
  scriptUri: string;
  styleUri: string;
}

function attr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

export function previewHtml(o: PreviewHtmlOptions): string {
  const csp = [
    "default-src 'none'",
    `img-src ${o.cspSource} data:`,
    `style-src ${o.cspSource} 'nonce-${o.nonce}'`,
    `script-src 'nonce-${o.nonce}'`,
    `font-src ${o.cspSource}`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${attr(o.styleUri)}" nonce="${attr(o.nonce)}">
<title>Segment Preview</title>
</head>
<body>
<main id="app"><p class="muted">Loading segments…</p></main>
<script nonce="${attr(o.nonce)}" src="${attr(o.echartsUri)}"></script>
<script nonce="${attr(o.nonce)}" src="${attr(o.scriptUri)}"></script>
</body>
</html>`;
}
