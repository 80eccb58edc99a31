// guessfirst front end: one attempt-first question, drawn from traits that Python alone writes.
//
// The view never sets a trait: it redraws from the model at render time and on every change,
// and only sends requests. That keeps the gate in Python (nothing the browser does can unlock
// an answer) and lets a view that renders late, or a second view of the same widget, show the
// true state. Parts are updated in place rather than rebuilt so typed text and focus survive.
// Each part of the card is a module of its own; this one draws them in order and wires them.

import { answerPart } from "./answer.js";
import { confidencePart } from "./confidence.js";
import { addStyles, element, idMaker, isNotebookKey, isPlainEnter, keyHandlers } from "./dom.js";
import { examplePart } from "./example.js";
import { feedbackPart } from "./feedback.js";
import { hintsPart } from "./hints.js";
import { noticePart, schoolPart } from "./notices.js";
import { promptPart } from "./prompt.js";
import { quizPart } from "./quiz.js";
import { reflectionPart } from "./reflection.js";
import { speaker } from "./say.js";
import { identifyPart, whoPart } from "./student.js";
import { reader, TRAITS } from "./traits.js";

/** @typedef {import("./types").Model} Model @typedef {import("./types").Card} Card */
/** @typedef {import("./types").Part} Part */

/** A lost reply must not leave the student stuck behind a disabled button. */
const BUSY_TIMEOUT_MS = 5000;

/**
 * @param {{ model: Model, el: HTMLElement }} context
 * @returns {() => void} cleanup, as AnyWidget expects
 */
function render({ model, el }) {
  const trait = reader(model);
  addStyles(el, trait("css", ""));
  let busy = false;
  /** @type {ReturnType<typeof setTimeout> | undefined} */
  let timer;
  /** @param {boolean} now */
  const setBusy = (now) => {
    clearTimeout(timer);
    busy = now;
    if (now) timer = setTimeout(() => setBusy(false), BUSY_TIMEOUT_MS);
    refreshButtons();
  };
  const id = idMaker(trait("qid", ""));
  /** @type {Card} */
  const card = {
    trait,
    say: speaker(trait),
    id,
    send(message, { busy: waits = true } = {}) {
      model.send(message);
      if (waits) keepingFocus(() => setBusy(true));
    },
    busy: () => busy,
    locked: () =>
      trait("needs_student", false) || ["correct", "done"].includes(trait("status", "open")),
    confidence: () => confidence.picked(),
    refresh: () => refreshButtons(),
    inputError: element("p", {
      class: "gf-input-error",
      id: id("input-error"),
      "aria-live": "polite",
    }),
    shown: { response: "" },
  };
  const notice = noticePart(card);
  const identify = identifyPart(card);
  const prompt = promptPart(card);
  const confidence = confidencePart(card, () => Boolean(answer.control()?.tellsConfidence));
  const answer = answerPart(card, confidence.root);
  const feedback = feedbackPart(card);
  const quiz = quizPart(card);
  const hints = hintsPart(card);
  const example = examplePart(card, feedback.feedback);
  const reflection = reflectionPart(card);
  const who = whoPart(card);
  const school = schoolPart(card);

  // Notebook shortcuts are kept out by the keydown handler below, not by Lumino's
  // data-lm-suppress-shortcuts: that attribute would also block Shift+Enter (run cell).
  const root = element("div", { class: "guessfirst" });
  // Screen readers pick their voice, and <q> its quotation marks, from the language.
  root.setAttribute("lang", trait("lang", "en"));
  root.append(notice.slot, identify.slot, prompt.root, answer.slot, card.inputError);
  root.append(confidence.root, answer.actions, feedback.feedback, feedback.outcome, quiz.slot);
  root.append(hints.list, hints.actions, example.slot, reflection.slot, who.slot, school.root);

  /** In the order they are drawn: `update` in this order, and focus asked of them in it. */
  /** @type {Part[]} */
  const drawn = [notice, identify, answer, confidence, hints, quiz, example, reflection, who];
  const focusOrder = [hints, example, answer, identify, reflection];

  function refreshButtons() {
    for (const part of drawn) part.refresh?.();
  }

  /**
   * Where focus goes when the focused control was disabled or removed by an update.
   * @param {Element} lost
   * @returns {HTMLElement}
   */
  function focusFallback(lost) {
    for (const part of focusOrder) {
      const next = part.focusAfter?.(lost);
      if (next) return next;
    }
    const inputs = answer.control()?.inputs.filter((input) => !input.disabled) ?? [];
    const picked = inputs.find((input) => "checked" in input && input.checked);
    return picked ?? inputs[0] ?? feedback.feedback;
  }

  /**
   * Run an update without letting keyboard focus fall back to the page body.
   * @param {() => void} change
   */
  function keepingFocus(change) {
    const active = /** @type {Document | ShadowRoot} */ (root.getRootNode()).activeElement;
    const inside = active !== null && root.contains(active);
    change();
    if (!inside || active === null) return;
    const disabled = "disabled" in active && Boolean(active.disabled);
    if (!root.contains(active) || disabled || active.closest("[hidden]")) {
      focusFallback(active).focus({ preventScroll: true });
    }
  }

  let seq = trait("seq", 0);
  function update() {
    const now = trait("seq", 0);
    if (now !== seq) {
      seq = now;
      setBusy(false);
    }
    root.dataset.status = trait("status", "open");
    prompt.update();
    feedback.update();
    for (const part of drawn) part.update();
    school.update();
    refreshButtons();
  }

  // A reply from the kernel changes several traits at once (status, feedback, example,
  // ...), each with its own event: the card is redrawn once, after the last of them.
  let redraw = false;
  const onChange = () => {
    if (redraw) return;
    redraw = true;
    queueMicrotask(() => {
      redraw = false;
      keepingFocus(update);
    });
  };

  root.addEventListener("input", refreshButtons);
  root.addEventListener("change", refreshButtons);
  /** @param {KeyboardEvent} event */
  const onKey = (event) => {
    // Otherwise arrows on a radio move the notebook's cell selection, and letters on a
    // button insert ("b") or delete ("d d") cells.
    if (!isNotebookKey(event)) event.stopPropagation();
    if (!isPlainEnter(event)) return;
    const target = event.composedPath()[0];
    if ([answer, identify, quiz].some((part) => part.enter(target))) event.preventDefault();
  };
  // The window's listener hands keys over on a page. The card's own covers a card the
  // window cannot see (not attached); a key the window handed over is stopped before it.
  const handlers = keyHandlers(el.ownerDocument.defaultView ?? /** @type {any} */ (globalThis));
  handlers.set(root, onKey);
  root.addEventListener("keydown", onKey);

  update();
  el.append(root);
  for (const name of TRAITS) model.on(`change:${name}`, onChange);

  return () => {
    handlers.delete(root);
    for (const name of TRAITS) model.off(`change:${name}`, onChange);
    clearTimeout(timer);
  };
}

export default { render };
