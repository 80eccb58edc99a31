/**
 * The question card's entry point for anywidget.
 *
 * anywidget imports a widget's `_esm` afresh for every widget, so a lesson of ten
 * questions would parse and compile the card's code ten times, each time a cell runs.
 * This module is that `_esm`: it is small, and it evaluates the card's code (the
 * `script` trait, widget.js) once per page and version, then hands each widget to it.
 */

/** The card modules evaluated on this page, by version, shared by every copy of this loader. */
function cards() {
  const slot = Symbol.for("guessfirst.cards");
  globalThis[slot] ??= new Map();
  return globalThis[slot];
}

/** @param {{ get(name: string): unknown }} model */
function card(model) {
  const loaded = cards();
  const version = String(model.get("script_version"));
  if (!loaded.has(version)) {
    const source = new Blob([String(model.get("script"))], { type: "text/javascript" });
    const url = URL.createObjectURL(source);
    loaded.set(
      version,
      import(/* webpackIgnore: true */ url).finally(() => URL.revokeObjectURL(url)),
    );
  }
  return loaded.get(version);
}

export default {
  /** @param {{ model: { get(name: string): unknown }, el: HTMLElement }} context */
  async render(context) {
    const module = await card(context.model);
    return module.default.render(context);
  },
};
