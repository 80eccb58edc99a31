// One choice (radios) or several (checkboxes), each labelled by its HTML from Python.

import { element } from "../dom.js";
import { fillIn } from "../fields.js";

/** @typedef {import("../types").ControlKind} ControlKind @typedef {import("../types").Control} Control */
/** @typedef {import("../types").Say} Say @typedef {import("../types").Ids} Ids */
/** @typedef {{ value: string, html: string }} Choice */

/**
 * @param {Choice[]} choices
 * @param {boolean} multiple
 * @param {Ids} id
 * @param {Say} say
 * @returns {Control}
 */
export function choiceField(choices, multiple, id, say) {
  const root = element("fieldset", { class: "gf-choices" });
  const legend = say(multiple ? "answer.choose_all" : "answer.choose_one");
  root.append(element("legend", { class: "gf-label" }, legend));
  const inputs = choices.map((choice) => {
    const input = element("input", {
      type: multiple ? "checkbox" : "radio",
      name: id("choice"),
      class: "gf-choice-input",
    });
    input.value = String(choice.value);
    const text = element("span", { class: "gf-choice-text" });
    text.innerHTML = choice.html;
    const label = element("label", { class: "gf-choice" });
    label.append(input, text);
    root.append(label);
    return input;
  });
  const checked = () => inputs.filter((input) => input.checked).map((input) => input.value);
  return { root, inputs, value: () => (multiple ? checked() : (checked()[0] ?? "")) };
}

/** @param {import("../types").Card} card */
const drawnFrom = (card) => ({
  choices: card.trait("choices", /** @type {Choice[]} */ ([])),
  multiple: Boolean(card.trait("multiple", false)),
});

/** @type {ControlKind} */
export default {
  shape(card) {
    const { choices, multiple } = drawnFrom(card);
    return JSON.stringify(["choice", multiple, choices]);
  },
  draw(card) {
    const { choices, multiple } = drawnFrom(card);
    const field = choiceField(choices, multiple, card.id, card.say);
    return { ...field, submits: true, update: () => fillIn(field, card) };
  },
};
