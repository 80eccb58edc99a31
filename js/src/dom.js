// Building and filling the card's elements, ids unique to a view, and the page's keys.

/** @typedef {import("./types").Ids} Ids */

/** The one style element of a page (or of a shadow root, as marimo gives each widget). */
const STYLE_ID = "guessfirst-style";

/**
 * Add the card's styles where `el` lives, unless they are already there: one sheet for
 * every question on the page, parsed once, where anywidget's `_css` would replace its
 * sheet for every new question and restyle the page each time.
 * @param {HTMLElement} el
 * @param {string} css
 */
export function addStyles(el, css) {
  const root = /** @type {Node & { host?: Element }} */ (el.getRootNode());
  const inShadow = root.nodeType === 11 && root.host !== undefined; // a ShadowRoot
  const parent = inShadow ? /** @type {ShadowRoot} */ (root) : el.ownerDocument.head;
  if (!css) return;
  let style = parent.querySelector(`style#${STYLE_ID}`);
  if (style === null) {
    style = el.ownerDocument.createElement("style");
    style.id = STYLE_ID;
    parent.append(style);
  }
  if (style.textContent !== css) style.textContent = css;
}

/** The HTML last written into each node, so unchanged HTML is not written again. */
const writtenHtml = new WeakMap();

/**
 * Build an element. Text goes in as textContent; only callers that hold HTML sanitized by
 * Python set innerHTML themselves.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {Record<string, string | boolean>} [attrs]
 * @param {string} [text]
 * @returns {HTMLElementTagNameMap[K]}
 */
export function element(tag, attrs = {}, text = "") {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === true) node.setAttribute(name, "");
    else if (value !== false) node.setAttribute(name, value);
  }
  if (text) node.textContent = text;
  return node;
}

/**
 * Set innerHTML only when it changed, so a live region is not re-announced needlessly.
 * @param {Element} node
 * @param {string} html
 */
export function setHtml(node, html) {
  if (writtenHtml.get(node) !== html) {
    node.innerHTML = html;
    writtenHtml.set(node, html);
  }
}

/**
 * Put `node` (or nothing) into a slot whose place in the card is fixed.
 * @param {Element} slot
 * @param {Element | null} node
 */
export function mount(slot, node) {
  if (node === null) slot.replaceChildren();
  else if (slot.firstChild !== node) slot.replaceChildren(node);
}

let viewCount = 0;

/**
 * Unique ids per view: the same question may be displayed several times on one page.
 * @param {string} qid
 * @returns {Ids}
 */
export function idMaker(qid) {
  viewCount += 1;
  const base = `gf-${String(qid || "q").replace(/[^A-Za-z0-9_-]/g, "_")}-${viewCount}`;
  return (part) => `${base}-${part}`;
}

/** @typedef {WeakMap<EventTarget, (event: KeyboardEvent) => void>} KeyHandlers */

/**
 * Each card's key handler, by card root, shared by every copy of this module on the page.
 * Front ends whose shortcuts listen in the capture phase (Notebook 7) see a key before
 * the card does, and would move the cell selection on an arrow pressed on a radio: one
 * capture listener on the window, which runs before theirs, hands keys to the card first.
 * @param {Window & typeof globalThis} win
 * @returns {KeyHandlers}
 */
export function keyHandlers(win) {
  const slot = Symbol.for("guessfirst.keyHandlers");
  const shared = /** @type {Record<symbol, KeyHandlers | undefined>} */ (/** @type {unknown} */ (win));
  let handlers = shared[slot];
  if (!handlers) {
    const made = /** @type {KeyHandlers} */ (new WeakMap());
    shared[slot] = handlers = made;
    win.addEventListener(
      "keydown",
      (event) => {
        const root = event.composedPath().find((node) => made.has(node));
        if (root) made.get(root)?.(event);
      },
      true,
    );
  }
  return handlers;
}

/**
 * Keys a notebook should still get from inside the card: run the cell, leave it.
 * @param {KeyboardEvent} event
 */
export function isNotebookKey(event) {
  const runs =
    event.key === "Enter" && (event.shiftKey || event.ctrlKey || event.metaKey || event.altKey);
  return runs || event.key === "Escape";
}

/** @param {KeyboardEvent} event */
export function isPlainEnter(event) {
  return (
    event.key === "Enter" &&
    !event.isComposing &&
    !event.shiftKey &&
    !event.ctrlKey &&
    !event.altKey &&
    !event.metaKey
  );
}
