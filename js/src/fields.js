// What every answer control shares: reading, clearing and restoring an answer, and the
// field's state (locked, described, invalid) from the traits of a one-answer question.

/** @typedef {import("./types").Card} Card @typedef {import("./types").Control} Control */
/** @typedef {import("./types").Field} Field */

/**
 * A field the student types into, as opposed to a radio or checkbox.
 * @param {Field} input
 */
export function isTyped(input) {
  return input.tagName === "TEXTAREA" || input.type === "text";
}

/** @param {Control} control */
export function hasAnswer(control) {
  const value = control.value();
  return Array.isArray(value) ? value.length > 0 : value.trim() !== "";
}

/** @param {Control} control */
export function clearAnswer(control) {
  for (const input of control.inputs) {
    if (isTyped(input)) input.value = "";
    else /** @type {HTMLInputElement} */ (input).checked = false;
  }
}

/**
 * Show the student's last answer in an untouched control, so a question restored from the
 * log looks answered. A several-choice answer arrives as a JSON list.
 * @param {Control} control
 * @param {string} response
 * @param {boolean} multiple
 */
export function showAnswer(control, response, multiple) {
  if (!response || control.inputs.length === 0 || hasAnswer(control)) return;
  if (isTyped(control.inputs[0])) {
    control.inputs[0].value = response;
    return;
  }
  /** @type {unknown} */
  let picked = [response];
  if (multiple) {
    try {
      picked = JSON.parse(response);
    } catch {
      return;
    }
  }
  const chosen = Array.isArray(picked) ? picked : [];
  for (const input of control.inputs) {
    /** @type {HTMLInputElement} */ (input).checked = chosen.includes(input.value);
  }
}

/**
 * Fill a one-answer question's control from the traits: the last answer Python holds
 * (emptied: another student took over, and must not find the last one's answer here),
 * why it could not be read, and whether it can still be changed.
 * @param {Control} control
 * @param {Card} card
 */
export function fillIn(control, card) {
  const { trait, id } = card;
  const multiple = Boolean(trait("multiple", false));
  const last = trait("last_response", "");
  if (last !== card.shown.response) {
    if (!last) clearAnswer(control);
    showAnswer(control, last, multiple);
    card.shown.response = last;
  }
  const error = trait("input_error", "");
  card.inputError.textContent = error;
  const describedBy = error ? `${id("prompt")} ${id("input-error")}` : id("prompt");
  const described = control.root.tagName === "FIELDSET" ? control.root : control.inputs[0];
  described?.setAttribute("aria-describedby", describedBy);
  for (const input of control.inputs) {
    input.disabled = card.locked();
    if (error) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
    if (isTyped(input)) input.placeholder = trait("placeholder", "");
  }
}
