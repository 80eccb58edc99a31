// An order question (a Parsons problem): the student arranges lines by keyboard, by the
// buttons or by dragging, leaves out a line that does not belong, and indents code.

import assert from "node:assert/strict";
import { afterEach, test } from "node:test";
import { JSDOM } from "jsdom";
import widget from "../dist/widget.js";
import { fakeModel } from "../testing/fake-model.js";
import { cardStrings } from "../testing/strings.js";

const LINES = ["def swap(a, b):", "kept = a", "a = b", "b = kept", "return a, b"];
const choices = (values) => values.map((value) => ({ value, html: `<code>${value}</code>` }));

const cleanups = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()();
});

function show(traits = {}) {
  const { window } = new JSDOM("<!doctype html><html><body></body></html>");
  globalThis.document = window.document;
  const el = window.document.createElement("div");
  window.document.body.append(el);
  const model = fakeModel({
    qid: "swap",
    kind: "order",
    control: "order",
    control_options: { indent: true, step: 4 },
    choices: choices(LINES),
    ask_confidence: false,
    status: "open",
    last_response: "",
    input_error: "",
    strings: cardStrings("en"),
    lang: "en",
    ...traits,
  });
  cleanups.push(widget.render({ model, el }));
  const rows = () => [...el.querySelectorAll(".gf-order-line")];
  const order = () => rows().map((row) => row.dataset.value);
  const rowOf = (value) => rows().find((row) => row.dataset.value === value);
  const alt = (target, key) =>
    target.dispatchEvent(
      new window.KeyboardEvent("keydown", { key, altKey: true, bubbles: true, composed: true }),
    );
  const submit = () => el.querySelector(".gf-submit").click();
  return { window, el, model, rows, order, rowOf, alt, submit };
}

test("the lines are listed in the order Python sent, each with its move buttons", () => {
  const view = show();
  assert.deepEqual(view.order(), LINES);
  const first = view.rowOf(LINES[0]);
  const labels = [...first.querySelectorAll("button")].map((b) => b.getAttribute("aria-label"));
  assert.deepEqual(labels, [
    `Move up: ${LINES[0]}`,
    `Move down: ${LINES[0]}`,
    `Indent less: ${LINES[0]}`,
    `Indent: ${LINES[0]}`,
  ]);
  assert.ok(first.querySelector(".gf-order-up").disabled, "the first line cannot go up");
  assert.match(view.el.querySelector(".gf-order-help").textContent, /indent/);
});

test("Alt and the arrow keys move and indent the focused line, and say where it went", () => {
  const view = show();
  const button = view.rowOf("return a, b").querySelector(".gf-order-up");
  button.focus();
  view.alt(button, "ArrowUp");
  view.alt(view.rowOf("return a, b").querySelector(".gf-order-up"), "ArrowUp");
  assert.deepEqual(view.order(), ["def swap(a, b):", "kept = a", "return a, b", "a = b", "b = kept"]);
  assert.equal(view.el.querySelector(".gf-sr-only").textContent, "return a, b: now line 3 of 5.");
  assert.ok(view.rowOf("return a, b").contains(view.window.document.activeElement));
  view.alt(view.rowOf("kept = a").querySelector("button"), "ArrowRight");
  assert.equal(view.rowOf("kept = a").style.getPropertyValue("--gf-depth"), "1");
  assert.equal(view.el.querySelector(".gf-sr-only").textContent, "kept = a: indentation level 1.");
  assert.deepEqual(view.model.sent, [], "moving a line sends nothing");
});

test("submitting sends the kept lines in order, each indented by its spaces", () => {
  const view = show({ choices: choices([...LINES, "a = kept"]) });
  for (const line of LINES.slice(1)) view.rowOf(line).querySelector(".gf-order-indent").click();
  const out = view.rowOf("a = kept").querySelector(".gf-order-out");
  out.checked = true;
  out.dispatchEvent(new view.window.Event("change", { bubbles: true }));
  assert.ok(view.rowOf("a = kept").classList.contains("gf-order-is-out"));
  view.submit();
  const [sent] = view.model.sent;
  assert.equal(sent.type, "submit");
  assert.deepEqual(sent.response, [
    "def swap(a, b):",
    "    kept = a",
    "    a = b",
    "    b = kept",
    "    return a, b",
  ]);
});

test("dragging a line onto another puts it there", () => {
  const view = show({ control_options: {} });
  const drag = (type, target) => target.dispatchEvent(new view.window.Event(type, { bubbles: true, cancelable: true }));
  drag("dragstart", view.rowOf("return a, b"));
  const over = view.rowOf("kept = a");
  drag("dragover", over);
  drag("drop", over);
  assert.deepEqual(view.order(), ["def swap(a, b):", "return a, b", "kept = a", "a = b", "b = kept"]);
  assert.equal(view.el.querySelector(".gf-order-indent"), null, "no indenting without indent");
});

test("the last answer from the log is shown arranged, and a finished question is locked", async () => {
  const last = JSON.stringify(["def swap(a, b):", "    a = b", "    kept = a"]);
  const view = show({ last_response: last, status: "correct", needs_student: false });
  assert.deepEqual(view.order().slice(0, 3), ["def swap(a, b):", "a = b", "kept = a"]);
  assert.ok(view.rowOf("b = kept").classList.contains("gf-order-is-out"));
  assert.equal(view.rowOf("a = b").style.getPropertyValue("--gf-depth"), "1");
  view.model.set("status", "open");
  view.model.set("last_response", "");
  await Promise.resolve();
  assert.deepEqual(view.order(), LINES, "another student starts from the shuffled lines");
});
