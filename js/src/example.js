// The worked example, once Python opens it, and a faded example's blank steps: the
// student writes the next step, then sees the real one under their own words.

import { element, mount, setHtml } from "./dom.js";

/** @typedef {import("./types").Card} Card */
/** @typedef {{ n: number, yours: string, html: string }} Step a step shown, as Python sends it */
/**
 * @typedef {{ number: number, root: HTMLElement, textarea: HTMLTextAreaElement,
 *   button: HTMLButtonElement }} Blank
 * @typedef {{ root: HTMLElement, body: HTMLElement, steps: HTMLElement,
 *   blank: Blank | null }} Example
 */

/**
 * A step shown: the student's words (text), then the real step (HTML from Python).
 * @param {Card} card
 * @param {Step} step
 */
function shownStep(card, step) {
  const title = card.id(`step-${step.n}`);
  const section = element("section", { class: "gf-step", "aria-labelledby": title, tabindex: "-1" });
  const heading = card.say("step.title", { number: step.n });
  section.append(element("h4", { class: "gf-label", id: title }, heading));
  section.append(element("p", { class: "gf-step-yours-label" }, card.say("step.you_wrote")));
  section.append(element("blockquote", { class: "gf-step-yours" }, step.yours));
  const body = element("div", { class: "gf-step-body" });
  setHtml(body, step.html);
  section.append(body);
  return section;
}

/**
 * The field for the step the student writes next.
 * @param {Card} card
 * @param {number} next
 * @returns {Blank}
 */
function blankStep(card, next) {
  const root = element("div", { class: "gf-step-blank" });
  const field = card.id(`step-${next}-text`);
  const textarea = element("textarea", { id: field, class: "gf-textarea", rows: "3" });
  const show = card.say("step.show", { number: next });
  const button = element("button", { type: "button", class: "gf-button" }, show);
  const yours = card.say("step.yours", { number: next });
  const label = element("label", { class: "gf-label", for: field }, yours);
  textarea.addEventListener("input", card.refresh);
  button.addEventListener("click", () => {
    if (!card.busy() && textarea.value.trim()) card.send({ type: "step", text: textarea.value });
  });
  root.append(label, textarea, button);
  return { number: next, root, textarea, button };
}

/**
 * Filled steps only grow, so only new ones are added.
 * @param {Card} card
 * @param {Example} example
 */
function updateSteps(card, example) {
  const list = example.steps;
  if (!list.parentNode) example.root.append(list);
  const filled = card.trait("faded_steps", /** @type {Step[]} */ ([]));
  while (list.querySelectorAll(".gf-step").length > filled.length) {
    list.querySelector(".gf-step:last-of-type")?.remove();
  }
  filled.forEach((step, index) => {
    if (list.querySelectorAll(".gf-step")[index]) return;
    list.insertBefore(shownStep(card, step), example.blank?.root ?? null);
  });
  const next = card.trait("next_step", 0);
  if (!next) {
    example.blank?.root.remove();
    example.blank = null;
  } else if (example.blank?.number !== next) {
    example.blank?.root.remove();
    example.blank = blankStep(card, next);
    list.append(example.blank.root);
  }
}

/**
 * @param {Card} card
 * @param {HTMLElement} feedback where focus goes when no step is left to take it
 */
export function examplePart(card, feedback) {
  const slot = element("div", { class: "gf-slot" });
  /** @type {Example | null} */
  let example = null;
  return {
    slot,
    update() {
      const html = card.trait("example_html", "");
      if (!html) {
        example = null;
      } else if (!example) {
        const title = card.id("example");
        const root = element("section", { class: "gf-example", "aria-labelledby": title });
        const body = element("div", { class: "gf-example-body" });
        const heading = card.say("example.title");
        root.append(element("h3", { class: "gf-example-title", id: title }, heading), body);
        const steps = element("div", { class: "gf-steps", "aria-live": "polite" });
        example = { root, body, steps, blank: null };
      }
      if (example) {
        setHtml(example.body, html);
        updateSteps(card, example);
      }
      mount(slot, example?.root ?? null);
    },
    refresh() {
      const blank = example?.blank;
      if (blank) blank.button.disabled = card.busy() || blank.textarea.value.trim() === "";
    },
    /**
     * A step was just shown: the student writes the next one, or reads the last shown.
     * @param {Element} lost
     * @returns {HTMLElement | null}
     */
    focusAfter(lost) {
      if (!lost.closest?.(".gf-step-blank")) return null;
      const steps = slot.querySelectorAll(".gf-step");
      const last = /** @type {HTMLElement | undefined} */ (steps[steps.length - 1]);
      return example?.blank?.textarea ?? last ?? feedback;
    },
  };
}
