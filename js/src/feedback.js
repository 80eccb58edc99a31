// What Python said of the last attempt, and what it turned out to be (a program's real
// output, the test cases it ran): both gated, both HTML Python sanitized.

import { element, setHtml } from "./dom.js";

/** @typedef {import("./types").Card} Card */

/** @param {Card} card */
export function feedbackPart(card) {
  const feedback = element("div", {
    class: "gf-feedback",
    role: "status",
    "aria-live": "polite",
    tabindex: "-1",
  });
  const outcome = element("div", { class: "gf-outcome" });
  return {
    feedback,
    outcome,
    update() {
      setHtml(feedback, card.trait("feedback_html", ""));
      setHtml(outcome, card.trait("outcome_html", ""));
    },
  };
}
