export const REPORT_CSS = `
:root { color-scheme: light dark; --fg:#1f2328; --muted:#656d76; --bg:#fff; --line:#d0d7de; --ok:#1a7f37; --bad:#cf222e; --warn:#9a6700; --card:#f6f8fa; }
@media (prefers-color-scheme: dark) { :root { --fg:#e6edf3; --muted:#8d96a0; --bg:#0d1117; --line:#30363d; --ok:#3fb950; --bad:#f85149; --warn:#d29922; --card:#161b22; } }
* { box-sizing: border-box; }
body { font: 14px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); margin: 0; }
header, main { max-width: 1100px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 24px; }
h1 { margin: 0 0 4px; font-size: 24px; }
h2 { border-bottom: 1px solid var(--line); padding-bottom: 4px; margin-top: 32px; }
.meta { color: var(--muted); margin: 0 0 8px; }
nav a { margin-right: 12px; color: inherit; }
.summary { font-weight: 600; }
.good { color: var(--ok); } .bad { color: var(--bad); } .warn { color: var(--warn); }
.chart { width: 100%; height: 360px; }
.chart.square { height: 480px; }
.chart.small { height: 220px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0; }
th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.status, .sev { display: inline-block; padding: 0 6px; border-radius: 8px; font-size: 12px; border: 1px solid currentColor; }
.status.ok { color: var(--ok); } .status.failing, .sev.error { color: var(--bad); }
.status.empty, .status.draft, .status.unavailable, .sev.warning { color: var(--warn); } .sev.info { color: var(--muted); }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(300px, 1fr)); gap: 16px; }
.card { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 12px 16px; }
.card h3 { margin: 0; } .card h4 { margin: 8px 0 0; font-size: 13px; }
blockquote { margin: 8px 0; padding-left: 10px; border-left: 3px solid var(--line); font-style: italic; }
ul.expectations { list-style: none; padding-left: 0; }
li.pass .mark { color: var(--ok); } li.fail .mark { color: var(--bad); } li.warnfail .mark { color: var(--warn); }
.detail { color: var(--muted); }
.scroll { overflow-x: auto; }
.none { color: var(--muted); }
`;
