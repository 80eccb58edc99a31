// The answer control is the one the trait `control` names: a module of src/controls/,
// found by the build, so a new kind of answer is one new file.

import assert from "node:assert/strict";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { fileURLToPath } from "node:url";
import { JSDOM } from "jsdom";
import { bundle } from "../build.mjs";
import widget from "../dist/widget.js";
import { fakeModel } from "../testing/fake-model.js";
import { cardStrings } from "../testing/strings.js";

const SRC = fileURLToPath(new URL("../src", import.meta.url));

/** A control that is not in the card: the answer is the order of the items, as listed. */
const RANK = `
import { element } from "../dom.js";
import { fillIn } from "../fields.js";

export default {
  shape: (card) => JSON.stringify(card.trait("choices", [])),
  draw(card) {
    const { indent = false } = card.trait("control_options", {});
    const root = element("ol", { class: "gf-rank", "data-indent": String(indent) });
    const items = card.trait("choices", []).map((choice) => element("li", {}, choice.value));
    root.append(...items);
    const field = { root, inputs: [], value: () => items.map((item) => item.textContent) };
    return { ...field, submits: true, update: () => fillIn(field, card) };
  },
};
`;

const scratch = mkdtempSync(join(tmpdir(), "gf-controls-"));
after(() => rmSync(scratch, { recursive: true, force: true }));

/** Render `card` (a built card module) on a fresh page. */
function show(card, traits) {
  const { window } = new JSDOM("<!doctype html><html><body></body></html>");
  globalThis.document = window.document;
  const el = window.document.createElement("div");
  window.document.body.append(el);
  const model = fakeModel({ qid: "q", strings: cardStrings("en"), ...traits });
  const cleanup = card.render({ model, el });
  return { el, model, cleanup };
}

test("a control module dropped into src/controls/ is bundled and drawn, with no other edit", async () => {
  const src = join(scratch, "src");
  cpSync(SRC, src, { recursive: true });
  writeFileSync(join(src, "controls", "rank.js"), RANK);
  const outfile = join(scratch, "widget.js");
  await bundle({ src, outfile });
  const { default: card } = await import(outfile);
  const choices = [{ value: "b" }, { value: "a" }];
  const view = show(card, { kind: "rank", control: "rank", choices });
  const items = [...view.el.querySelectorAll(".gf-answer .gf-rank li")];
  assert.deepEqual(
    items.map((item) => item.textContent),
    ["b", "a"],
  );
  view.el.querySelector(".gf-submit").click();
  assert.deepEqual(view.model.sent, [{ type: "submit", response: ["b", "a"], confidence: null }]);
  // What Python tells the control of this question reaches it, and a change redraws it.
  assert.equal(view.el.querySelector(".gf-rank").dataset.indent, "false");
  view.model.set("control_options", { indent: true });
  await Promise.resolve();
  assert.equal(view.el.querySelector(".gf-rank").dataset.indent, "true");
  view.cleanup();
});

test("the control trait, not the kind, picks the control", () => {
  const choices = [{ value: "a", html: "A" }];
  const view = show(widget, { kind: "numeric", control: "choice", choices });
  assert.equal(view.el.querySelectorAll(".gf-answer input[type=radio]").length, 1);
  view.cleanup();
});

test("a control this card does not know gets a text field, so the student can still answer", () => {
  const view = show(widget, { kind: "sketch", control: "sketch" });
  const input = view.el.querySelector(".gf-answer input");
  assert.equal(input.type, "text");
  assert.equal(view.el.querySelector(`label[for="${input.id}"]`).textContent, "Your answer");
  view.cleanup();
});
