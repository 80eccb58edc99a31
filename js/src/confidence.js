// How sure the student is, asked before the answer is judged, on a four-step scale.

import { element } from "./dom.js";

/** @typedef {import("./types").Card} Card */

/**
 * The scale, by its keys in the catalogue. Index in this list is the value sent to
 * Python (see the event log format).
 */
const CONFIDENCE_LEVELS = ["guessing", "unsure", "fairly_sure", "certain"];

/**
 * @param {Card} card
 * @param {() => boolean} tellsNow whether Python hears the level as it is picked (a code
 *   question, checked from a cell, has no Submit to carry it)
 */
export function confidencePart(card, tellsNow) {
  const { trait, say, id } = card;
  const root = element("fieldset", { class: "gf-confidence" });
  root.append(element("legend", { class: "gf-label" }, say("confidence.question")));
  const row = element("div", { class: "gf-pills" });
  const inputs = CONFIDENCE_LEVELS.map((level, index) => {
    const input = element("input", {
      type: "radio",
      name: id("confidence"),
      value: String(index),
      class: "gf-pill-input",
    });
    const label = element("label", { class: "gf-pill" });
    label.append(input, element("span", { class: "gf-pill-text" }, say(`confidence.${level}`)));
    row.append(label);
    return input;
  });
  root.append(row);
  root.addEventListener("change", (event) => {
    const input = /** @type {HTMLInputElement} */ (event.target);
    if (tellsNow() && input.checked) {
      card.send({ type: "confidence", confidence: Number(input.value) }, { busy: false });
    }
  });
  let attempts = trait("attempts", 0);
  return {
    root,
    /** The level picked, as its place on the scale, or null. */
    picked() {
      const checked = inputs.find((input) => input.checked);
      return trait("ask_confidence", false) && checked ? Number(checked.value) : null;
    },
    /** A new attempt asks afresh: the scale is cleared. */
    update() {
      const now = trait("attempts", 0);
      if (now !== attempts) {
        attempts = now;
        for (const input of inputs) input.checked = false;
      }
      root.hidden = !trait("ask_confidence", false);
      for (const input of inputs) input.disabled = card.locked();
    },
  };
}
