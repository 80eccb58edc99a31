// guessfirst front end: one attempt-first question, drawn from traits that Python alone writes.
//
// The view never sets a trait: it redraws from the model at render time and on every change,
// and only sends requests. That keeps the gate in Python (nothing the browser does can unlock
// an answer) and lets a view that renders late, or a second view of the same widget, show the
// true state. Parts are updated in place rather than rebuilt so typed text and focus survive.
// Each part of the card is a module of its own; this one draws them in order and wires them.

import { addStyles, element, idMaker, isNotebookKey, isPlainEnter, keyHandlers } from "./dom.js";
import { layout } from "./layout.js";
import { speaker } from "./say.js";
import { reader, TRAITS } from "./traits.js";

/** @typedef {import("./types").Model} Model @typedef {import("./types").Card} Card */
/** @typedef {import("./types").Part} Part */

/** A lost reply must not leave the student stuck behind a disabled button. */
const BUSY_TIMEOUT_MS = 5000;

/** One view of a question: its parts, whether it waits on Python, and its listeners. */
class CardView {
  /** @param {Model} model */
  constructor(model) {
    this.model = model;
    this.busy = false;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    this.timer = undefined;
    this.redrawing = false;
    const trait = reader(model);
    this.trait = trait;
    const id = idMaker(trait("qid", ""));
    const inputError = element("p", {
      class: "gf-input-error",
      id: id("input-error"),
      "aria-live": "polite",
    });
    /** @type {Card} */
    this.card = {
      trait,
      say: speaker(trait),
      id,
      send: (message, { busy = true } = {}) => this.send(message, busy),
      busy: () => this.busy,
      locked: () =>
        trait("needs_student", false) || ["correct", "done"].includes(trait("status", "open")),
      confidence: () => this.parts.confidence.picked(),
      refresh: () => this.refresh(),
      inputError,
      shown: { response: "" },
    };
    this.parts = layout(this.card);
    this.root = this.parts.root;
    this.seq = trait("seq", 0);
    const p = this.parts;
    /** @type {Part[]} In the order they are drawn, and their buttons refreshed. */
    this.drawn = [p.notice, p.welcome, p.identify, p.answer, p.confidence, p.hints, p.quiz];
    this.drawn.push(p.example, p.reflection, p.who, p.school);
    /** @type {Part[]} Asked, in this order, where focus goes when it was lost. */
    this.focusOrder = [p.hints, p.example, p.answer, p.identify, p.reflection];
  }

  /**
   * @param {Record<string, unknown>} message
   * @param {boolean} waits whether the card is busy until Python answers
   */
  send(message, waits) {
    this.model.send(message);
    if (waits) this.keepingFocus(() => this.setBusy(true));
  }

  /** @param {boolean} busy */
  setBusy(busy) {
    clearTimeout(this.timer);
    this.busy = busy;
    if (busy) this.timer = setTimeout(() => this.setBusy(false), BUSY_TIMEOUT_MS);
    this.refresh();
  }

  refresh() {
    for (const part of this.drawn) part.refresh?.();
  }

  update() {
    const seq = this.trait("seq", 0);
    if (seq !== this.seq) {
      this.seq = seq;
      this.setBusy(false);
    }
    this.root.dataset.status = this.trait("status", "open");
    this.parts.prompt.update();
    this.parts.feedback.update();
    for (const part of this.drawn) part.update();
    this.refresh();
  }

  /**
   * Where focus goes when the focused control was disabled or removed by an update.
   * @param {Element} lost
   * @returns {HTMLElement}
   */
  focusFallback(lost) {
    for (const part of this.focusOrder) {
      const next = part.focusAfter?.(lost);
      if (next) return next;
    }
    const inputs = this.parts.answer.control()?.inputs.filter((input) => !input.disabled) ?? [];
    const picked = inputs.find((input) => "checked" in input && input.checked);
    return picked ?? inputs[0] ?? this.parts.feedback.feedback;
  }

  /**
   * Run an update without letting keyboard focus fall back to the page body.
   * @param {() => void} change
   */
  keepingFocus(change) {
    const root = this.root;
    const active = /** @type {Document | ShadowRoot} */ (root.getRootNode()).activeElement;
    const inside = active !== null && root.contains(active);
    change();
    if (!inside || active === null) return;
    const disabled = "disabled" in active && Boolean(active.disabled);
    if (!root.contains(active) || disabled || active.closest("[hidden]")) {
      this.focusFallback(active).focus({ preventScroll: true });
    }
  }

  /**
   * A reply from the kernel changes several traits at once (status, feedback, example,
   * ...), each with its own event: the card is redrawn once, after the last of them.
   */
  changed() {
    if (this.redrawing) return;
    this.redrawing = true;
    queueMicrotask(() => {
      this.redrawing = false;
      this.keepingFocus(() => this.update());
    });
  }

  /** @param {KeyboardEvent} event */
  key(event) {
    // Otherwise arrows on a radio move the notebook's cell selection, and letters on a
    // button insert ("b") or delete ("d d") cells.
    if (!isNotebookKey(event)) event.stopPropagation();
    if (this.parts.answer.key?.(event)) {
      event.preventDefault();
      return;
    }
    if (!isPlainEnter(event)) return;
    const target = event.composedPath()[0];
    const { answer, identify, quiz } = this.parts;
    if ([answer, identify, quiz].some((part) => part.enter(target))) event.preventDefault();
  }
}

/**
 * @param {{ model: Model, el: HTMLElement }} context
 * @returns {() => void} cleanup, as AnyWidget expects
 */
function render({ model, el }) {
  const trait = reader(model);
  addStyles(el, trait("css", ""));
  const view = new CardView(model);
  const root = view.root;
  const refresh = () => view.refresh();
  root.addEventListener("input", refresh);
  root.addEventListener("change", refresh);
  /** @param {KeyboardEvent} event */
  const onKey = (event) => view.key(event);
  // The window's listener hands keys over on a page. The card's own covers a card the
  // window cannot see (not attached); a key the window handed over is stopped before it.
  const handlers = keyHandlers(el.ownerDocument.defaultView ?? /** @type {any} */ (globalThis));
  handlers.set(root, onKey);
  root.addEventListener("keydown", onKey);
  view.update();
  el.append(root);
  const onChange = () => view.changed();
  for (const name of TRAITS) model.on(`change:${name}`, onChange);
  return () => {
    handlers.delete(root);
    for (const name of TRAITS) model.off(`change:${name}`, onChange);
    clearTimeout(view.timer);
  };
}

export default { render };
