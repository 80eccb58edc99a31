// A closed quiz says when its examples open, and takes the teacher's key.

import { element, mount } from "./dom.js";
import { describeError } from "./student.js";

/** @typedef {import("./types").Card} Card */
/**
 * @typedef {{ shape: string, root: HTMLElement, buttons: HTMLButtonElement[],
 *   input: HTMLInputElement | null, error: HTMLElement | null }} Quiz
 */

/**
 * The panel for a quiz closed until `when` (words from Python), or opened by a key.
 * @param {Card} card
 * @param {string} shape
 * @param {string} when
 * @param {boolean} keyed
 * @param {() => void} openWithKey
 * @returns {Quiz}
 */
function quizPanel(card, shape, when, keyed, openWithKey) {
  const { say, id } = card;
  const root = element("div", { class: "gf-quiz" });
  /** @type {Quiz} */
  const quiz = { shape, root, buttons: [], input: null, error: null };
  if (when) {
    const check = element("button", { type: "button", class: "gf-link" }, say("quiz.check_again"));
    check.addEventListener("click", () => {
      if (!card.busy()) card.send({ type: "open" });
    });
    root.append(element("p", {}, when), check);
    quiz.buttons.push(check);
  }
  if (keyed) {
    const input = element("input", {
      id: id("key"),
      class: "gf-input",
      type: "password",
      autocomplete: "off",
    });
    const button = element("button", { type: "button", class: "gf-button" }, say("quiz.open"));
    const error = element("p", { class: "gf-input-error", id: id("key-error") });
    error.setAttribute("aria-live", "polite");
    button.addEventListener("click", openWithKey);
    const row = element("div", { class: "gf-row" });
    row.append(input, button);
    root.append(element("label", { class: "gf-label", for: id("key") }, say("quiz.teacher_key")));
    root.append(row, error);
    Object.assign(quiz, { input, error });
    quiz.buttons.push(button);
  }
  return quiz;
}

/** @param {Card} card */
export function quizPart(card) {
  const slot = element("div", { class: "gf-slot" });
  /** @type {Quiz | null} */
  let quiz = null;
  const openWithKey = () => {
    const input = quiz?.input;
    if (!card.busy() && input?.value) card.send({ type: "key", key: input.value });
  };
  return {
    slot,
    update() {
      const when = card.trait("release_text", "");
      const keyed = Boolean(card.trait("key_entry", false));
      const shape = when || keyed ? `${when}:${keyed}` : "";
      if (!shape) quiz = null;
      else if (quiz?.shape !== shape) quiz = quizPanel(card, shape, when, keyed, openWithKey);
      if (quiz?.error && quiz.input) {
        const message = card.trait("key_error", "");
        quiz.error.textContent = message;
        describeError(quiz.input, message, card.id("key-error"));
      }
      mount(slot, quiz?.root ?? null);
    },
    refresh() {
      for (const button of quiz?.buttons ?? []) button.disabled = card.busy();
    },
    /** @param {EventTarget} target */
    enter(target) {
      if (!quiz?.input || target !== quiz.input) return false;
      openWithKey();
      return true;
    },
  };
}
