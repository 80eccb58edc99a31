// A code question is answered in a notebook cell, by calling the question's check: the
// card says how, and has no field of its own.

import { element } from "../dom.js";
import { fillIn } from "../fields.js";

/** @typedef {import("../types").ControlKind} ControlKind */

/** @type {ControlKind} */
export default {
  shape: () => "",
  draw(card) {
    const root = element("p", { class: "gf-instructions" });
    const field = { root, inputs: [], value: () => "" };
    const update = () => {
      fillIn(field, card);
      root.textContent = card.trait("instructions", "");
    };
    return { ...field, submits: false, tellsConfidence: true, update };
  },
};
