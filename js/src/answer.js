// The answer: the control the trait `control` names (a module in controls/), why an
// answer could not be read, and the card's Submit button.

import controls from "guessfirst:controls";
import { element, mount } from "./dom.js";
import { hasAnswer, isTyped } from "./fields.js";

/** @typedef {import("./types").Card} Card @typedef {import("./types").Answer} Answer */
/** @typedef {import("./types").ControlKind} ControlKind */

/** @type {Record<string, string>} The Submit button's words after an attempt, by status. */
const SUBMIT_WORDS = { wrong: "try_again", saved: "submit_again" };

/**
 * The control module named `name`; a name this card does not know (a newer Python than
 * its script) gets a text field.
 * @param {string} name
 * @returns {ControlKind}
 */
function controlKind(name) {
  return Object.hasOwn(controls, name) ? controls[name] : controls.text;
}

/**
 * @param {Card} card
 * @param {HTMLElement} confidence the confidence scale, where Enter submits too
 */
export function answerPart(card, confidence) {
  const slot = element("div", { class: "gf-answer" });
  const submitButton = element("button", { type: "button", class: "gf-button gf-submit" });
  submitButton.textContent = card.say("submit");
  const actions = element("div", { class: "gf-actions" });
  actions.append(submitButton);
  /** @type {Answer | null} */
  let control = null;
  let shape = "";

  const canSubmit = () =>
    !card.busy() && !card.locked() && control !== null && control.submits && hasAnswer(control);

  function submit() {
    if (!canSubmit() || control === null) return;
    card.send({ type: "submit", response: control.value(), confidence: card.confidence() });
  }
  submitButton.addEventListener("click", submit);

  /**
   * Draw the control afresh when what it is drawn from changed (its shape, or the options
   * Python gives the control, `control_options`); typed text is kept.
   */
  function redraw() {
    const name = card.trait("control", "text");
    const kind = controlKind(name);
    const options = JSON.stringify(card.trait("control_options", {}));
    const now = `${name}:${options}:${kind.shape(card)}`;
    if (now === shape && control !== null) return control;
    const previous = control?.inputs[0];
    const next = kind.draw(card);
    if (previous && next.inputs[0] && isTyped(previous) && isTyped(next.inputs[0])) {
      next.inputs[0].value = previous.value;
    }
    shape = now;
    mount(slot, next.root);
    return next;
  }

  return {
    slot,
    actions,
    /** The control drawn now, if any. */
    control: () => control,
    update() {
      const status = card.trait("status", "open");
      submitButton.textContent = card.say(SUBMIT_WORDS[status] ?? "submit");
      control = redraw();
      submitButton.hidden = !control.submits;
      control.update();
    },
    refresh() {
      submitButton.disabled = !canSubmit();
      control?.refresh?.();
    },
    /** @param {EventTarget} target */
    enter(target) {
      if (control?.enter) return control.enter(target);
      const node = /** @type {Element} */ (target);
      const inAnswer = slot.contains(node) || confidence.contains(node);
      if (!inAnswer || node.tagName !== "INPUT") return false;
      submit();
      return true;
    },
    /** @param {KeyboardEvent} event */
    key: (event) => control?.key?.(event) ?? false,
    /** @param {Element} lost */
    focusAfter: (lost) => control?.focusAfter?.(lost) ?? null,
  };
}
