"""The class view's CSS: big type and strong contrast, to be read from the back of a room."""

from __future__ import annotations

CLASS_CSS = """
:root { color-scheme: light; --bg: #fff; --fg: #111; --muted: #3d4349; --line: #9aa3ab;
  --band: #eef3f8; --good: #0b5d1e; --good-bg: #e3f4e6; --accent: #0b4fa3; }
* { box-sizing: border-box; }
html { font-size: 24px; }
body { margin: 0; background: var(--bg); color: var(--fg);
  font: 1rem/1.4 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans CJK TC",
  "Microsoft JhengHei", sans-serif; }
main { max-width: 48rem; margin: 0 auto; padding: 1.2rem 1.5rem 3rem; }
h1 { margin: 0 0 .3rem; font-size: 2.1rem; line-height: 1.15; }
h2 { margin: 0 0 .4rem; font-size: 1.6rem; }
h3 { margin: 1rem 0 .3rem; font-size: 1.05rem; color: var(--muted); }
.note, .muted { color: var(--muted); font-size: .8rem; }
.card { margin: 1.2rem 0; padding: 1rem 1.3rem; border: 3px solid var(--line);
  border-radius: 1rem; }
.tried { margin: 0; font-size: 1rem; }
.good { margin: .5rem 0 0; padding: .5rem .8rem; border-radius: .6rem;
  background: var(--good-bg); color: var(--good); font-size: 1.25rem; font-weight: 700; }
.good.quiet { font-weight: 400; font-size: 1rem; }
.answers { list-style: none; margin: 0; padding: 0; }
.answers li { display: flex; flex-wrap: wrap; align-items: center; gap: .3rem 1rem;
  padding: .5rem 0; border-top: 2px solid var(--band); }
.answer { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace;
  font-size: 1.3rem; font-weight: 700; white-space: pre-wrap; overflow-wrap: anywhere; }
.count { color: var(--muted); font-size: .9rem; }
button { font: inherit; font-size: .85rem; padding: .3rem .9rem; border-radius: .5rem;
  border: 3px solid var(--accent); background: var(--bg); color: var(--accent);
  cursor: pointer; }
button.look { margin-left: auto; background: var(--accent); color: #fff; }
button:focus-visible, summary:focus-visible { outline: 5px solid #f0a000;
  outline-offset: 3px; }
.discussion { position: fixed; inset: 0; width: 100vw; height: 100vh; max-width: none;
  max-height: none; margin: 0; padding: 2rem 3rem; border: 0; overflow: auto;
  background: var(--bg); color: var(--fg); font-size: 1.2rem; }
.discussion::backdrop { background: var(--bg); }
.discussion .which { margin: 1rem 0 0; color: var(--muted); font-size: .8rem; }
.discussion .prompt { margin: .3rem 0 1rem; font-size: 1.4rem; white-space: pre-wrap; }
.discussion .ask { margin: 1.5rem 0; font-size: 2.2rem; font-weight: 700; line-height: 1.2; }
.discussion .ask .answer { color: var(--accent); }
.example { margin-top: 1.5rem; font-size: 1rem; }
.example summary { cursor: pointer; color: var(--accent); }
.step { margin: .4rem 0; white-space: pre-wrap; }
@media print {
  html { font-size: 14pt; }
  button { display: none; }
}
"""
