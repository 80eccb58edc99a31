"""The report's own CSS: light and dark, screen and print, no external sheet."""

from __future__ import annotations

_CSP = "default-src 'none'; style-src 'unsafe-inline'"


_CSS = """
:root { color-scheme: light dark; --bg: #fff; --fg: #1d2125; --muted: #5c636a;
  --line: #d5d9dd; --band: #f3f5f7; --err: #c2410c; --fix: #1d64c0; --ok: #2f7d32;
  --open: #b42318; --warn-bg: #fff4e0; --warn-fg: #7a3e00; }
@media (prefers-color-scheme: dark) {
  :root { --bg: #16191d; --fg: #e7eaee; --muted: #a4adb6; --line: #3a4048; --band: #1f2328;
    --err: #f08a4b; --fix: #6aa7f8; --ok: #6cc070; --open: #f2766b; --warn-bg: #3b2a12;
    --warn-fg: #ffd28a; }
}
* { box-sizing: border-box; }
body { margin: 0 auto; max-width: 72rem; padding: 1.5rem; background: var(--bg);
  color: var(--fg); font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
h1 { margin: 0 0 .25rem; font-size: 1.8rem; }
h2 { margin: 2.5rem 0 .5rem; padding-bottom: .25rem; border-bottom: 2px solid var(--line); }
h3 { margin: 1.5rem 0 .25rem; font-size: 1.05rem; }
.muted, caption, figcaption { color: var(--muted); }
caption { caption-side: top; text-align: left; padding: .25rem 0; }
.cards { display: flex; flex-wrap: wrap; gap: .75rem; padding: 0; list-style: none; }
.cards li { flex: 1 1 8rem; padding: .6rem .8rem; border: 1px solid var(--line);
  border-radius: .5rem; background: var(--band); }
.cards b { display: block; font-size: 1.6rem; font-variant-numeric: tabular-nums; }
.alert { padding: .75rem 1rem; border-radius: .5rem; background: var(--warn-bg);
  color: var(--warn-fg); }
.badge { display: inline-block; margin-left: .4rem; padding: 0 .4rem; border-radius: .3rem;
  background: var(--warn-bg); color: var(--warn-fg); border: 1px solid currentColor;
  font-size: .8rem; white-space: nowrap; }
table { width: 100%; border-collapse: collapse; margin: .5rem 0 1rem; }
.scroll { overflow-x: auto; }
th, td { padding: .3rem .4rem; border-bottom: 1px solid var(--line); text-align: left;
  vertical-align: top; overflow-wrap: break-word; }
thead th { background: var(--band); vertical-align: bottom; }
tbody th { min-width: 5rem; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; }
td.n { white-space: nowrap; }
a { color: var(--fix); }
figure { margin: 1rem 0; }
abbr[title] { text-decoration: underline dotted; cursor: help; }
code, .answer { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  white-space: pre-wrap; }
.bar { display: inline-block; height: .6rem; margin-right: .4rem; background: var(--err);
  border-radius: .15rem; vertical-align: middle; }
svg.chart { display: block; width: 100%; height: auto; font-size: 12px; }
svg.chart text { fill: var(--fg); }
svg.chart .muted { fill: var(--muted); }
svg.chart .grid { stroke: var(--line); }
.err { fill: var(--err); } .fix { fill: var(--fix); } .ok { fill: var(--ok); }
.open { fill: var(--open); }
.legend span::before { content: ""; display: inline-block; width: .8rem; height: .8rem;
  margin: 0 .3rem 0 .8rem; border-radius: .15rem; vertical-align: -.1rem;
  background: var(--swatch); }
dl.terms dt { font-weight: 600; margin-top: .5rem; }
dl.terms dd { margin-left: 1.5rem; }
@media print {
  :root { --bg: #fff; --fg: #000; --muted: #444; --band: #eee; }
  body { max-width: none; padding: 0; font-size: 11pt; }
  h2 { break-after: avoid; }
  figure, tr, .cards li { break-inside: avoid; }
  .scroll { overflow: visible; }
  thead { display: table-header-group; }
}
"""
