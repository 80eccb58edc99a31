// The traits the card reads, all through `reader`: tests/test_card_traits.py finds each
// name the sources pass to `trait(...)` and checks them against the traits Python syncs.

/** @typedef {import("./types").Model} Model @typedef {import("./types").Trait} Trait */

/** Traits whose change redraws the card. */
export const TRAITS = [
  "qid",
  "kind",
  "control",
  "control_options",
  "prompt_html",
  "choices",
  "multiple",
  "ask_confidence",
  "placeholder",
  "needs_student",
  "student_error",
  "student_label",
  "status",
  "attempts",
  "input_error",
  "feedback_html",
  "outcome_html",
  "instructions",
  "example_html",
  "hints_html",
  "hints_left",
  "last_response",
  "reflection_for",
  "reflection_saved",
  "notice",
  "school_saved",
  "welcome_html",
  "mode",
  "attempts_left",
  "release_text",
  "key_entry",
  "key_error",
  "faded_steps",
  "steps_left",
  "next_step",
  "parts",
  "seq",
];

/** Traits read once, when a view is drawn: Python sets them with the question, for good. */
export const DRAWN_ONCE = ["css", "lang", "strings"];

/**
 * The one way the card reads a trait.
 * @param {Model} model
 * @returns {Trait}
 */
export function reader(model) {
  /** @param {string} name @param {unknown} fallback */
  const read = (name, fallback) => model.get(name) ?? fallback;
  return /** @type {Trait} */ (read);
}
