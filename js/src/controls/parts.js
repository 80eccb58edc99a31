// A question in parts: each part has its own field, Check button and feedback, and is
// sent, judged and locked on its own. The card's Submit is not used.

import { element, setHtml } from "../dom.js";
import { clearAnswer, hasAnswer, showAnswer } from "../fields.js";
import { choiceField } from "./choice.js";
import { textField } from "./text.js";

/** @typedef {import("../types").ControlKind} ControlKind @typedef {import("../types").Card} Card */
/** @typedef {import("../types").Control} Control @typedef {import("./choice.js").Choice} Choice */
/**
 * A part as Python sends it in the trait `parts`.
 * @typedef {{ id: string, kind: string, label: string, multiple: boolean, choices: Choice[],
 *   status: string, prompt_html: string, feedback_html: string, input_error: string,
 *   last_response: string }} PartState
 * @typedef {{ root: HTMLElement, body: HTMLElement, control: Control, error: HTMLElement,
 *   button: HTMLButtonElement, feedback: HTMLElement, lastResponse: string,
 *   locked: boolean }} PartView
 */

/** @param {Card} card */
const shownParts = (card) => card.trait("parts", /** @type {PartState[]} */ ([]));

/**
 * One part, drawn; `submit` sends it.
 * @param {Card} card
 * @param {PartState} part
 * @param {number} index
 * @param {() => void} submit
 * @returns {PartView}
 */
function drawPart(card, part, index, submit) {
  const { say, id } = card;
  /** @param {string} name */
  const pid = (name) => id(`part-${index}-${name}`);
  const root = element("section", { class: "gf-part", "aria-labelledby": pid("prompt") });
  const prompt = element("div", { class: "gf-part-prompt", id: pid("prompt") });
  const body = element("div", { class: "gf-part-body" });
  prompt.append(element("strong", { class: "gf-part-label" }, part.label), body);
  const control =
    part.kind === "choice"
      ? choiceField(part.choices, part.multiple, pid, say)
      : textField(part.kind, pid("answer"), say("part.answer_to", { label: part.label }));
  const error = element("p", { class: "gf-input-error", id: pid("error") });
  error.setAttribute("aria-live", "polite");
  const button = element("button", { type: "button", class: "gf-button" });
  button.textContent = say("part.check", { label: part.label });
  button.addEventListener("click", submit);
  const actions = element("div", { class: "gf-actions" });
  actions.append(button);
  const feedback = element("div", {
    class: "gf-feedback",
    role: "status",
    "aria-live": "polite",
    tabindex: "-1",
  });
  root.append(prompt, control.root, error, actions, feedback);
  return { root, body, control, error, button, feedback, lastResponse: "", locked: false };
}

/**
 * Fill one drawn part from what Python sent of it.
 * @param {Card} card
 * @param {PartView} view
 * @param {PartState} part
 * @param {number} index
 */
function fillPart(card, view, part, index) {
  view.root.dataset.status = part.status;
  setHtml(view.body, part.prompt_html);
  setHtml(view.feedback, part.feedback_html);
  view.error.textContent = part.input_error;
  if (part.last_response !== view.lastResponse) {
    if (!part.last_response) clearAnswer(view.control);
    showAnswer(view.control, part.last_response, part.multiple);
    view.lastResponse = part.last_response;
  }
  view.locked = card.trait("needs_student", false) || part.status === "correct";
  const prompt = card.id(`part-${index}-prompt`);
  const described = part.input_error ? `${prompt} ${view.error.id}` : prompt;
  for (const input of view.control.inputs) {
    input.disabled = view.locked;
    input.setAttribute("aria-describedby", described);
  }
}

/** @type {ControlKind} */
export default {
  shape: (card) =>
    JSON.stringify(shownParts(card).map((p) => [p.id, p.kind, p.multiple, p.choices])),
  draw(card) {
    /** @param {PartView} view */
    const canSubmit = (view) => !card.busy() && !view.locked && hasAnswer(view.control);
    /** @param {number} index */
    const submit = (index) => {
      const view = views[index];
      if (!view || !canSubmit(view)) return;
      const response = view.control.value();
      card.send({ type: "submit", part: index, response, confidence: card.confidence() });
    };
    const views = shownParts(card).map((part, index) =>
      drawPart(card, part, index, () => submit(index)),
    );
    const list = element("div", { class: "gf-parts" });
    list.append(...views.map((view) => view.root));
    /** @param {EventTarget} target */
    const partOf = (target) =>
      views.findIndex((view) => view.root.contains(/** @type {Node} */ (target)));
    return {
      root: list,
      inputs: [],
      value: () => "",
      submits: false,
      update: () => shownParts(card).forEach((part, i) => fillPart(card, views[i], part, i)),
      refresh() {
        for (const view of views) view.button.disabled = !canSubmit(view);
      },
      enter(target) {
        const index = partOf(target);
        if (index < 0 || /** @type {Element} */ (target).tagName !== "INPUT") return false;
        submit(index);
        return true;
      },
      focusAfter(lost) {
        const view = views[partOf(lost)];
        if (!view) return null;
        return view.control.inputs.find((input) => !input.disabled) ?? view.feedback;
      },
    };
  },
};
