// The first explanation on a card: drawn from `welcome_html`, dismissed with "Got it",
// which only tells Python; focus goes on to the question.

import assert from "node:assert/strict";
import { afterEach, describe, test } from "node:test";
import { JSDOM } from "jsdom";
import widget from "../dist/widget.js";
import { fakeModel } from "../testing/fake-model.js";
import { cardStrings } from "../testing/strings.js";

const WELCOME =
  '<h4 class="gf-welcome-title">Why guess first?</h4>' +
  "<p>Your brain learns most from a guess it then checks.</p>";

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
    qid: "speed",
    kind: "numeric",
    control: "text",
    prompt_html: "<p>A train covers 120 km in 1.5 hours. Its speed?</p>",
    status: "open",
    lang: "en",
    strings: cardStrings("en"),
    welcome_html: WELCOME,
    ...traits,
  });
  cleanups.push(widget.render({ model, el }));
  const card = el.querySelector(".guessfirst");
  const gotIt = () => [...card.querySelectorAll("button")].find((b) => b.textContent === "Got it");
  return { window, card, model, gotIt, redrawn: () => Promise.resolve() };
}

describe("the first explanation", () => {
  test("shows above the question, as a region named by its title", () => {
    const { card, gotIt } = show();
    const welcome = card.querySelector(".gf-welcome");
    assert.ok(welcome.textContent.includes("Your brain learns most from a guess it then checks."));
    const title = welcome.querySelector("h4");
    assert.equal(welcome.getAttribute("aria-labelledby"), title.id);
    assert.ok(title.id);
    assert.equal(gotIt().type, "button");
    const prompt = card.querySelector(".gf-prompt");
    assert.ok(welcome.compareDocumentPosition(prompt) & 4, "the welcome comes before the prompt");
  });

  test("is not drawn when Python sends none", () => {
    const { card, gotIt } = show({ welcome_html: "" });
    assert.equal(card.querySelector(".gf-welcome"), null);
    assert.equal(gotIt(), undefined);
  });

  test("Got it tells Python, hides it at once and moves focus to the answer", () => {
    const { card, model, gotIt } = show();
    gotIt().focus();
    gotIt().click();
    assert.deepEqual(model.sent, [{ type: "welcomed" }]);
    assert.equal(card.querySelector(".gf-welcome"), null);
    assert.equal(document.activeElement, card.querySelector(".gf-answer input"));
  });

  test("focus goes to the name field when the card waits for a name", () => {
    const { card, gotIt } = show({ needs_student: true });
    gotIt().focus();
    gotIt().click();
    assert.equal(document.activeElement, card.querySelector(".gf-identify input"));
  });

  test("stays gone when Python clears it, and comes back when Python sends it again", async () => {
    const { card, model, gotIt, redrawn } = show();
    gotIt().click();
    model.set("seq", 1); // an unrelated redraw before Python has heard
    await redrawn();
    assert.equal(card.querySelector(".gf-welcome"), null);
    model.set("welcome_html", "");
    await redrawn();
    model.set("welcome_html", WELCOME); // someone else sat down
    await redrawn();
    assert.ok(card.querySelector(".gf-welcome"));
  });
});
