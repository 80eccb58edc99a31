// Lines to put in order (a Parsons problem): moved by buttons, by Alt and the arrow keys
// on a line, or by dragging; a line ticked "Leave out" is not part of the answer. With
// `control_options.indent`, Alt with left and right (or the buttons) indents a line.
// The answer Python takes is the kept lines, in order, each indented by its spaces.

import { element } from "../dom.js";

/** @typedef {import("../types").ControlKind} ControlKind @typedef {import("../types").Card} Card */
/** @typedef {import("../types").Answer} Answer @typedef {import("./choice.js").Choice} Choice */
/** @typedef {{ value: string, html: string, depth: number, out: boolean }} Line */
/**
 * One line as drawn: its row, the text, and its buttons.
 * @typedef {{ row: HTMLLIElement, text: HTMLElement, out: HTMLInputElement,
 *   buttons: Record<string, HTMLButtonElement> }} Row
 */

/** How deep a line may be indented: more is not a lesson's Python. */
const MAX_DEPTH = 8;
/** Each button: the move it makes (places, levels) and the key that makes it with Alt. */
const MOVES = {
  up: { by: -1, indent: 0, key: "ArrowUp" },
  down: { by: 1, indent: 0, key: "ArrowDown" },
  outdent: { by: 0, indent: -1, key: "ArrowLeft" },
  indent: { by: 0, indent: 1, key: "ArrowRight" },
};
/** @typedef {keyof typeof MOVES} Move */

/** @param {Card} card */
const drawnFrom = (card) => ({
  choices: card.trait("choices", /** @type {Choice[]} */ ([])),
  options: card.trait("control_options", /** @type {{ indent?: boolean, step?: number }} */ ({})),
});

/**
 * The lines as the student last arranged them (a JSON list of indented lines): those
 * first, in that order, then the rest left out; null when it is not such a list.
 * @param {Choice[]} choices
 * @param {string} response
 * @param {number} step
 * @returns {Line[] | null}
 */
function arranged(choices, response, step) {
  let lines;
  try {
    lines = JSON.parse(response);
  } catch {
    return null;
  }
  if (!Array.isArray(lines)) return null;
  const byValue = new Map(choices.map((choice) => [choice.value, choice]));
  /** @type {Line[]} */
  const kept = [];
  for (const line of lines) {
    const text = String(line);
    const choice = byValue.get(text.trimStart());
    if (!choice) return null;
    const depth = Math.floor((text.length - text.trimStart().length) / step);
    kept.push({ ...choice, depth, out: false });
    byValue.delete(choice.value);
  }
  return [...kept, ...[...byValue.values()].map((choice) => ({ ...choice, depth: 0, out: true }))];
}

/**
 * @param {Card} card
 * @returns {Answer}
 */
function drawOrder(card) {
  const { say, id } = card;
  const { choices, options } = drawnFrom(card);
  const indent = Boolean(options.indent);
  const step = Number(options.step) || 4;
  /** @type {Line[]} */
  let lines = choices.map((choice) => ({ ...choice, depth: 0, out: false }));
  let shownResponse = "";
  let locked = false;

  const root = element("div", { class: "gf-order", role: "group", "aria-labelledby": id("prompt") });
  const help = element("p", { class: "gf-order-help", id: id("order-help") });
  help.textContent = say(indent ? "order.instructions_indent" : "order.instructions");
  const list = element("ol", { class: "gf-order-list" });
  const status = element("p", { class: "gf-sr-only", "aria-live": "polite" });
  root.append(help, list, status);

  /** @type {Map<string, Row>} */
  const rows = new Map(lines.map((line) => [line.value, drawRow(line)]));
  let dragged = "";

  /** @param {Line} line @returns {Row} */
  function drawRow(line) {
    const row = element("li", { class: "gf-order-line", draggable: "true", tabindex: "-1" });
    row.dataset.value = line.value;
    const text = element("span", { class: indent ? "gf-order-text gf-code" : "gf-order-text" });
    text.innerHTML = line.html;
    const out = element("input", { type: "checkbox", class: "gf-order-out" });
    const outLabel = element("label", { class: "gf-order-leave" });
    outLabel.append(out, element("span", {}, say("order.leave_out")));
    /** @type {Record<string, HTMLButtonElement>} */
    const buttons = {};
    const tools = element("span", { class: "gf-order-tools" });
    for (const name of /** @type {Move[]} */ (Object.keys(MOVES))) {
      if (!indent && MOVES[name].indent) continue;
      const button = element("button", { type: "button", class: `gf-order-move gf-order-${name}` });
      button.setAttribute("aria-label", say(`order.${name}`, { line: line.value }));
      button.textContent = { up: "↑", down: "↓", outdent: "←", indent: "→" }[name];
      button.addEventListener("click", () => move(line.value, name));
      buttons[name] = button;
      tools.append(button);
    }
    out.addEventListener("change", () => leaveOut(line.value, out.checked));
    row.addEventListener("dragstart", (event) => {
      dragged = line.value;
      event.dataTransfer?.setData("text/plain", line.value);
    });
    row.addEventListener("dragover", (event) => {
      if (dragged && !locked) event.preventDefault();
    });
    row.addEventListener("drop", (event) => {
      event.preventDefault();
      if (dragged && dragged !== line.value) dropBefore(dragged, line.value);
      dragged = "";
    });
    row.append(tools, text, outLabel);
    return { row, text, out, buttons };
  }

  /** @param {string} value */
  const indexOf = (value) => lines.findIndex((line) => line.value === value);
  const kept = () => lines.filter((line) => !line.out);

  /** @param {string} text */
  function announce(text) {
    status.textContent = text;
  }

  /** @param {string} value @param {Move} name */
  function move(value, name) {
    if (locked) return;
    const at = indexOf(value);
    const line = lines[at];
    const { by, indent: levels } = MOVES[name];
    if (by) {
      const to = at + by;
      if (to < 0 || to >= lines.length) return;
      [lines[at], lines[to]] = [lines[to], lines[at]];
      const number = kept().indexOf(line) + 1;
      if (number) announce(say("order.moved", { line: value, number, total: kept().length }));
    } else {
      line.depth = Math.min(MAX_DEPTH, Math.max(0, line.depth + levels));
      announce(say("order.depth", { line: value, depth: line.depth }));
    }
    changed(value, name);
  }

  /** @param {string} value @param {boolean} out */
  function leaveOut(value, out) {
    const line = lines[indexOf(value)];
    line.out = out;
    const number = kept().indexOf(line) + 1;
    announce(
      out ? say("order.left_out", { line: value }) : say("order.put_back", { line: value, number }),
    );
    changed(value, null);
  }

  /** @param {string} value @param {string} before */
  function dropBefore(value, before) {
    if (locked) return;
    const [line] = lines.splice(indexOf(value), 1);
    lines.splice(indexOf(before), 0, line);
    changed(value, null);
  }

  /**
   * Draw the lines in their order, keep focus on the one that moved, and let the card
   * enable its Submit button.
   * @param {string} value
   * @param {Move | null} name
   */
  function changed(value, name) {
    draw();
    const moved = rows.get(value);
    if (moved && name) (moved.buttons[name]?.disabled ? moved.row : moved.buttons[name])?.focus();
    card.refresh();
  }

  function draw() {
    list.replaceChildren(...lines.map((line) => /** @type {Row} */ (rows.get(line.value)).row));
    lines.forEach((line, index) => {
      const { row, out, buttons } = /** @type {Row} */ (rows.get(line.value));
      row.style.setProperty("--gf-depth", String(line.depth));
      row.classList.toggle("gf-order-is-out", line.out);
      row.draggable = !locked;
      out.checked = line.out;
      out.disabled = locked;
      if (buttons.up) buttons.up.disabled = locked || index === 0;
      if (buttons.down) buttons.down.disabled = locked || index === lines.length - 1;
      if (buttons.outdent) buttons.outdent.disabled = locked || line.depth === 0;
      if (buttons.indent) buttons.indent.disabled = locked || line.depth >= MAX_DEPTH;
    });
  }

  /** @param {KeyboardEvent} event @returns {boolean} */
  function key(event) {
    if (!event.altKey || locked) return false;
    const target = /** @type {Element} */ (event.composedPath()[0]);
    const row = /** @type {HTMLElement | null} */ (target.closest?.(".gf-order-line") ?? null);
    const value = row?.dataset.value;
    const name = /** @type {Move[]} */ (Object.keys(MOVES)).find(
      (move) => MOVES[move].key === event.key && (indent || !MOVES[move].indent),
    );
    if (row === null || value === undefined || !name || !list.contains(row)) return false;
    move(value, name);
    (rows.get(value)?.row)?.focus();
    return true;
  }

  draw();
  return {
    root,
    inputs: [],
    submits: true,
    value: () => kept().map((line) => " ".repeat(indent ? step * line.depth : 0) + line.value),
    update() {
      const last = card.trait("last_response", "");
      if (last !== shownResponse) {
        lines = (last && arranged(choices, last, step)) || lines.map((line) => ({ ...line }));
        if (!last) lines = choices.map((choice) => ({ ...choice, depth: 0, out: false }));
        shownResponse = last;
      }
      locked = card.locked();
      const error = card.trait("input_error", "");
      card.inputError.textContent = error;
      const described = [id("order-help"), id("prompt"), ...(error ? [id("input-error")] : [])];
      root.setAttribute("aria-describedby", described.join(" "));
      draw();
    },
    key,
  };
}

/** @type {ControlKind} */
export default {
  shape(card) {
    const { choices, options } = drawnFrom(card);
    return JSON.stringify(["order", options, choices]);
  },
  draw: drawOrder,
};
