// Who is answering: the name asked before the first answer, and on a shared computer
// the name the card saves under, with a way to switch.

import { element, mount } from "./dom.js";

/** @typedef {import("./types").Card} Card */

/**
 * Mark `input` invalid, described by the message under it, while there is a message.
 * @param {HTMLInputElement} input
 * @param {string} message
 * @param {string} errorId
 */
export function describeError(input, message, errorId) {
  if (message) {
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", errorId);
  } else {
    input.removeAttribute("aria-invalid");
    input.removeAttribute("aria-describedby");
  }
}

/** @param {Card} card */
function identifyForm(card) {
  const { say, id } = card;
  const root = element("div", { class: "gf-identify" });
  const input = element("input", {
    id: id("student"),
    class: "gf-input",
    type: "text",
    autocomplete: "off",
    spellcheck: "false",
  });
  const button = element("button", { type: "button", class: "gf-button" }, say("student.start"));
  const error = element("p", { class: "gf-input-error", id: id("student-error") });
  error.setAttribute("aria-live", "polite");
  const row = element("div", { class: "gf-row" });
  row.append(input, button);
  const label = element("label", { class: "gf-label", for: id("student") }, say("student.prompt"));
  root.append(label, row, error);
  return { root, input, button, error };
}

/**
 * The name asked for, while Python needs one before it can log an answer.
 * @param {Card} card
 */
export function identifyPart(card) {
  const slot = element("div", { class: "gf-slot" });
  /** @type {ReturnType<typeof identifyForm> | null} */
  let form = null;
  const identify = () => {
    if (!card.busy() && form) card.send({ type: "identify", student: form.input.value });
  };
  return {
    slot,
    update() {
      if (!card.trait("needs_student", false)) {
        form = null;
      } else if (!form) {
        form = identifyForm(card);
        form.button.addEventListener("click", identify);
      }
      if (form) {
        const message = card.trait("student_error", "");
        form.error.textContent = message;
        describeError(form.input, message, card.id("student-error"));
      }
      mount(slot, form?.root ?? null);
    },
    refresh() {
      if (form) form.button.disabled = card.busy();
    },
    /** @param {EventTarget} target */
    enter(target) {
      if (!form || target !== form.input) return false;
      identify();
      return true;
    },
    /** @param {Element} lost */
    focusAfter: (lost) => (form && form.root.contains(lost) ? form.input : null),
  };
}

/**
 * A typed name may be the last student's on a shared computer: say it, offer a switch.
 * @param {Card} card
 */
export function whoPart(card) {
  const slot = element("div", { class: "gf-slot" });
  /** @type {{ root: HTMLElement, label: HTMLElement, button: HTMLButtonElement } | null} */
  let who = null;
  return {
    slot,
    update() {
      const name = card.trait("student_label", "");
      if (!name) {
        who = null;
      } else if (!who) {
        const root = element("p", { class: "gf-who" });
        const label = element("span", { class: "gf-who-name" });
        const text = card.say("student.not_you");
        const button = element("button", { type: "button", class: "gf-link" }, text);
        button.addEventListener("click", () => {
          if (!card.busy()) card.send({ type: "switch" });
        });
        // The name sits inside the sentence, where each language puts it.
        const sentence = card.say("student.saving_as", { name: "\u0000" });
        const [before, after = ""] = sentence.split("\u0000");
        root.append(before, label, `${after} `, button);
        who = { root, label, button };
      }
      if (who) who.label.textContent = name;
      mount(slot, who?.root ?? null);
    },
    refresh() {
      if (who) who.button.disabled = card.busy();
    },
  };
}
