// A typed answer: a number, a word or phrase, an expression, or what a program prints.

import { element } from "../dom.js";
import { fillIn } from "../fields.js";

/** @typedef {import("../types").ControlKind} ControlKind @typedef {import("../types").Control} Control */

/**
 * A labelled field for the question kind `kind`.
 * @param {string} kind
 * @param {string} id
 * @param {string} label
 * @returns {Control}
 */
export function textField(kind, id, label) {
  const root = element("div", { class: "gf-field" });
  // What a program prints runs over several lines: Enter starts a new one there.
  const input =
    kind === "predict"
      ? element("textarea", { id, class: "gf-textarea gf-code-input", rows: "4" })
      : element("input", { id, class: "gf-input", type: "text", autocomplete: "off" });
  input.setAttribute("spellcheck", "false");
  if (kind === "numeric") input.setAttribute("inputmode", "decimal");
  root.append(element("label", { class: "gf-label", for: id }, label), input);
  return { root, inputs: [input], value: () => input.value };
}

/** @type {ControlKind} */
export default {
  shape: (card) => JSON.stringify(["text", card.trait("kind", "text")]),
  draw(card) {
    const field = textField(card.trait("kind", "text"), card.id("answer"), card.say("answer.label"));
    return { ...field, submits: true, update: () => fillIn(field, card) };
  },
};
