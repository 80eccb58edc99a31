// What a student sees and does in the question card, driven through a fake AnyWidget model.

import assert from "node:assert/strict";
import { afterEach, describe, mock, test } from "node:test";
import { JSDOM } from "jsdom";
import widget from "../dist/widget.js";
import { fakeModel } from "../testing/fake-model.js";
import { cardStrings } from "../testing/strings.js";

/** The traits as Python sets them for a fresh numeric question. */
const DEFAULTS = {
  qid: "q1",
  kind: "numeric",
  prompt_html: "<p>What is <em>half</em> of 160?</p>",
  choices: [],
  multiple: false,
  ask_confidence: true,
  placeholder: "e.g. 80 or 3/4",
  needs_student: false,
  student_error: "",
  student_label: "",
  status: "open",
  attempts: 0,
  input_error: "",
  feedback_html: "",
  example_html: "",
  hints_html: [],
  hints_left: 0,
  last_response: "",
  reflection_for: 0,
  reflection_saved: false,
  notice: "",
  school_saved: false,
  outcome_html: "",
  instructions: "",
  mode: "practice",
  attempts_left: 0,
  release_text: "",
  key_entry: false,
  key_error: "",
  faded_steps: [],
  steps_left: 0,
  next_step: 0,
  parts: [],
  lang: "en",
  strings: cardStrings("en"),
  seq: 0,
};

const CHOICES = [
  { value: "a", html: "<strong>Mercury</strong>" },
  { value: "b", html: "Venus" },
  { value: "c", html: "Earth" },
];

/** The control Python names for a kind (widget.py's _CONTROLS), text for the rest. */
const CONTROLS = { choice: "choice", code: "cell", multi: "parts" };

const cleanups = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()();
  mock.timers.reset();
});

/** Render a card on a fresh page, as a notebook front end would. */
function show(traits = {}) {
  const { window } = new JSDOM("<!doctype html><html><body></body></html>");
  globalThis.document = window.document;
  const el = window.document.createElement("div");
  window.document.body.append(el);
  const control = CONTROLS[traits.kind] ?? "text";
  const model = fakeModel({ ...DEFAULTS, control, ...traits });
  const cleanup = widget.render({ model, el });
  cleanups.push(cleanup);
  const card = el.querySelector(".guessfirst");
  const byLabel = (text) => {
    const label = [...card.querySelectorAll("label")].find((l) => l.textContent === text);
    return label?.control ?? null;
  };
  const button = (text) =>
    [...card.querySelectorAll("button")].find((b) => b.textContent === text) ?? null;
  const type = (input, text) => {
    input.value = text;
    input.dispatchEvent(new window.Event("input", { bubbles: true }));
  };
  const tick = (input) => {
    input.checked = true;
    input.dispatchEvent(new window.Event("change", { bubbles: true }));
  };
  const pressEnter = (target) =>
    target.dispatchEvent(new window.KeyboardEvent("keydown", { key: "Enter", bubbles: true }));
  const confidence = (level) => byLabel(level);
  // The card redraws once per batch of trait changes, in a microtask: wait for it.
  const redrawn = () => Promise.resolve();
  return {
    window,
    el,
    card,
    model,
    cleanup,
    byLabel,
    button,
    type,
    tick,
    pressEnter,
    confidence,
    redrawn,
  };
}

describe("answer controls", () => {
  test("numeric shows the prompt and a labelled text field that accepts fractions", () => {
    const view = show();
    assert.equal(view.card.querySelector(".gf-prompt em").textContent, "half");
    const input = view.byLabel("Your answer");
    assert.equal(input.type, "text");
    assert.equal(input.getAttribute("inputmode"), "decimal");
    assert.equal(input.placeholder, "e.g. 80 or 3/4");
  });

  test("text and unknown kinds get a plain text field", () => {
    for (const kind of ["text", "drawing"]) {
      const view = show({ kind, placeholder: "" });
      const input = view.byLabel("Your answer");
      assert.equal(input.type, "text");
      assert.equal(input.hasAttribute("inputmode"), false);
    }
  });

  test("choice shows radios in a fieldset, each labelled by its HTML", () => {
    const view = show({ kind: "choice", choices: CHOICES });
    const fieldset = view.card.querySelector("fieldset.gf-choices");
    assert.equal(fieldset.querySelector("legend").textContent, "Choose one answer");
    const inputs = [...fieldset.querySelectorAll("input")];
    assert.deepEqual(
      inputs.map((i) => i.type),
      ["radio", "radio", "radio"],
    );
    assert.equal(inputs[0].labels[0].querySelector("strong").textContent, "Mercury");
    assert.deepEqual(
      inputs.map((i) => i.labels[0].textContent),
      ["Mercury", "Venus", "Earth"],
    );
  });

  test("multiple-answer choice uses checkboxes", () => {
    const view = show({ kind: "choice", choices: CHOICES, multiple: true });
    const fieldset = view.card.querySelector("fieldset.gf-choices");
    assert.equal(fieldset.querySelector("legend").textContent, "Choose all that apply");
    assert.ok([...fieldset.querySelectorAll("input")].every((i) => i.type === "checkbox"));
  });

  test("every input, textarea and radio has a label in every state", () => {
    const view = show({
      kind: "choice",
      choices: CHOICES,
      needs_student: true,
      reflection_for: 1,
      notice: "Your answers could not be saved.",
    });
    const fields = view.card.querySelectorAll("input, textarea");
    assert.ok(fields.length >= 9);
    for (const field of fields) {
      const named = field.labels.length > 0 && field.labels[0].textContent.trim() !== "";
      assert.ok(named, `unlabelled ${field.type} ${field.name}`);
    }
  });
});

describe("submitting", () => {
  test("Submit stays disabled until there is an answer", () => {
    const view = show();
    const submit = view.button("Submit");
    assert.equal(submit.disabled, true);
    view.type(view.byLabel("Your answer"), "   ");
    assert.equal(submit.disabled, true);
    submit.click();
    assert.deepEqual(view.model.sent, []);
    view.type(view.byLabel("Your answer"), "3/4");
    assert.equal(submit.disabled, false);
  });

  test("Enter in the answer field sends the answer as typed with the chosen confidence", () => {
    const view = show();
    const input = view.byLabel("Your answer");
    view.type(input, "1,000");
    view.tick(view.confidence("Fairly sure"));
    view.pressEnter(input);
    assert.deepEqual(view.model.sent, [{ type: "submit", response: "1,000", confidence: 2 }]);
  });

  test("confidence is null when the student does not choose one", () => {
    const view = show();
    view.type(view.byLabel("Your answer"), "80");
    view.button("Submit").click();
    assert.deepEqual(view.model.sent, [{ type: "submit", response: "80", confidence: null }]);
  });

  test("without ask_confidence there is no confidence question and null is sent", () => {
    const view = show({ ask_confidence: false });
    assert.equal(view.card.querySelector(".gf-confidence").hidden, true);
    view.type(view.byLabel("Your answer"), "80");
    view.button("Submit").click();
    assert.equal(view.model.sent[0].confidence, null);
  });

  test("confidence offers the four levels under one question", () => {
    const view = show();
    const fieldset = view.card.querySelector(".gf-confidence");
    assert.equal(fieldset.querySelector("legend").textContent, "How sure are you?");
    assert.deepEqual(
      [...fieldset.querySelectorAll("input[type=radio]")].map((i) => i.labels[0].textContent),
      ["Just guessing", "Unsure", "Fairly sure", "Certain"],
    );
  });

  test("Enter on a focused radio submits the choice value", () => {
    const view = show({ kind: "choice", choices: CHOICES });
    const venus = view.byLabel("Venus");
    view.tick(venus);
    venus.focus();
    view.pressEnter(venus);
    assert.deepEqual(view.model.sent, [{ type: "submit", response: "b", confidence: null }]);
  });

  test("Enter on a confidence pill submits too", () => {
    const view = show();
    view.type(view.byLabel("Your answer"), "80");
    const certain = view.confidence("Certain");
    view.tick(certain);
    view.pressEnter(certain);
    assert.deepEqual(view.model.sent, [{ type: "submit", response: "80", confidence: 3 }]);
  });

  test("several ticked boxes are sent as a list of values", () => {
    const view = show({ kind: "choice", choices: CHOICES, multiple: true });
    assert.equal(view.button("Submit").disabled, true);
    view.tick(view.byLabel("Earth"));
    view.tick(view.byLabel("Mercury"));
    view.button("Submit").click();
    assert.deepEqual(view.model.sent, [{ type: "submit", response: ["a", "c"], confidence: null }]);
  });

  test("a request in flight blocks a second submit until Python answers", async () => {
    const view = show();
    const input = view.byLabel("Your answer");
    view.type(input, "80");
    view.pressEnter(input);
    view.pressEnter(input);
    assert.equal(view.model.sent.length, 1);
    assert.equal(view.button("Submit").disabled, true);
    view.model.set("seq", 1);
    await view.redrawn();
    assert.equal(view.button("Submit").disabled, false);
  });

  test("a lost reply does not leave Submit disabled for good", () => {
    mock.timers.enable({ apis: ["setTimeout"] });
    const view = show();
    view.type(view.byLabel("Your answer"), "80");
    view.button("Submit").click();
    assert.equal(view.button("Submit").disabled, true);
    mock.timers.tick(5000);
    assert.equal(view.button("Submit").disabled, false);
  });

  test("clicking Submit does not drop keyboard focus to the page", () => {
    const view = show();
    const input = view.byLabel("Your answer");
    view.type(input, "80");
    const submit = view.button("Submit");
    submit.focus();
    submit.click();
    assert.equal(view.window.document.activeElement, input);
  });
});

describe("after an attempt", () => {
  test("a wrong attempt offers Try again, keeps the answer and clears the confidence", async () => {
    const view = show();
    const input = view.byLabel("Your answer");
    view.type(input, "60");
    view.tick(view.confidence("Certain"));
    view.pressEnter(input);
    view.model.set("feedback_html", "<p>Not quite: what is 160 ÷ 2?</p>");
    view.model.set("status", "wrong");
    view.model.set("attempts", 1);
    view.model.set("seq", 1);
    await view.redrawn();
    assert.equal(view.button("Submit"), null);
    assert.equal(view.button("Try again").disabled, false);
    assert.equal(view.byLabel("Your answer"), input);
    assert.equal(input.value, "60");
    assert.equal(view.confidence("Certain").checked, false);
  });

  test("feedback is announced through a polite live region", async () => {
    const view = show();
    const region = view.card.querySelector("[role=status]");
    assert.equal(region.getAttribute("aria-live"), "polite");
    assert.equal(region.textContent, "");
    view.model.set("feedback_html", "<p>Close: check the <code>÷</code>.</p>");
    await view.redrawn();
    assert.equal(region.querySelector("code").textContent, "÷");
  });

  test("the worked example is not in the page until Python unlocks it", async () => {
    const view = show();
    assert.equal(view.card.querySelector("section"), null);
    assert.ok(!view.card.textContent.includes("Worked example"));
    view.model.set("example_html", "<p>Half of 160 is <strong>80</strong>.</p>");
    await view.redrawn();
    const section = view.card.querySelector("section.gf-example");
    assert.equal(section.querySelector("h3").textContent, "Worked example");
    assert.equal(section.querySelector("strong").textContent, "80");
    assert.equal(section.getAttribute("aria-labelledby"), section.querySelector("h3").id);
  });

  test("a correct answer finishes the question and keeps focus inside the card", async () => {
    const view = show({ kind: "choice", choices: CHOICES });
    const mercury = view.byLabel("Mercury");
    view.tick(mercury);
    mercury.focus();
    view.pressEnter(mercury);
    view.model.set("feedback_html", "<p>Yes!</p>");
    view.model.set("status", "correct");
    view.model.set("seq", 1);
    await view.redrawn();
    const controls = view.card.querySelectorAll(".gf-choices input, .gf-confidence input");
    assert.ok([...controls].every((input) => input.disabled));
    assert.equal(view.button("Submit").disabled, true);
    assert.equal(view.window.document.activeElement, view.card.querySelector("[role=status]"));
  });

  test("typed text and focus survive unrelated trait changes", async () => {
    const view = show();
    const input = view.byLabel("Your answer");
    view.type(input, "8");
    input.focus();
    view.model.set("notice", "Saving failed.");
    view.model.set("feedback_html", "<p>Hint</p>");
    view.model.set("placeholder", "a number");
    await view.redrawn();
    assert.equal(view.byLabel("Your answer"), input);
    assert.equal(input.value, "8");
    assert.equal(view.window.document.activeElement, input);
  });

  test("a view rendered after a wrong attempt shows its feedback and example", () => {
    const view = show({
      status: "wrong",
      attempts: 1,
      feedback_html: "<p>Last time you answered 60.</p>",
      example_html: "<p>Half of 160 is 80.</p>",
    });
    assert.equal(
      view.card.querySelector("[role=status]").textContent,
      "Last time you answered 60.",
    );
    assert.ok(view.card.querySelector("section.gf-example").textContent.includes("is 80"));
    assert.ok(view.button("Try again"));
  });
});

describe("hints", () => {
  const WRONG = { status: "wrong", attempts: 1, feedback_html: "<p>Not quite.</p>" };
  const offer = (view) => view.card.querySelector(".gf-hint-button");

  test("are offered only after an attempt that is not yet right", async () => {
    const view = show({ hints_left: 2 });
    assert.equal(offer(view).hidden, true);
    assert.ok(!view.card.textContent.includes("Hint 1"));
    view.model.set("status", "wrong");
    view.model.set("attempts", 1);
    await view.redrawn();
    assert.equal(offer(view).hidden, false);
    assert.equal(offer(view).textContent, "Show a hint (1 of 2)");
  });

  test("the button asks Python for the next hint, once while it answers", () => {
    const view = show({ ...WRONG, hints_left: 2 });
    view.button("Show a hint (1 of 2)").click();
    view.button("Show a hint (1 of 2)").click();
    assert.deepEqual(view.model.sent, [{ type: "hint" }]);
  });

  test("opened hints show in order, announced politely, focus staying on the button", async () => {
    const view = show({ ...WRONG, hints_left: 2 });
    const region = view.card.querySelector(".gf-hints");
    assert.equal(region.getAttribute("aria-live"), "polite");
    const button = offer(view);
    button.focus();
    button.click();
    view.model.set("hints_html", ["<p>Which is <em>bigger</em>?</p>"]);
    view.model.set("hints_left", 1);
    view.model.set("seq", 1);
    await view.redrawn();
    const first = region.querySelector("section");
    assert.equal(first.querySelector("h3").textContent, "Hint 1");
    assert.equal(first.getAttribute("aria-labelledby"), first.querySelector("h3").id);
    assert.equal(first.querySelector("em").textContent, "bigger");
    assert.equal(button.textContent, "Show a hint (2 of 2)");
    assert.equal(view.window.document.activeElement, button);

    view.model.set("hints_html", ["<p>Which is <em>bigger</em>?</p>", "<p>Divide.</p>"]);
    view.model.set("hints_left", 0);
    view.model.set("seq", 2);
    await view.redrawn();
    const hints = [...region.querySelectorAll("section")];
    assert.deepEqual(
      hints.map((hint) => hint.textContent),
      ["Hint 1Which is bigger?", "Hint 2Divide."],
    );
    assert.equal(hints[0], first); // kept, not rebuilt: only the new hint is read out
    assert.equal(button.hidden, true);
    assert.equal(view.window.document.activeElement, hints[1]);
  });

  test("the button goes once the question is solved, and the hints opened stay", async () => {
    const view = show({ ...WRONG, hints_html: ["<p>Divide.</p>"], hints_left: 1 });
    assert.equal(offer(view).hidden, false);
    view.model.set("status", "correct");
    await view.redrawn();
    assert.equal(offer(view).hidden, true);
    assert.equal(view.card.querySelector(".gf-hint-body").textContent, "Divide.");
  });

  test("are gone when another student takes over", async () => {
    const view = show({ ...WRONG, hints_html: ["<p>Divide.</p>"], hints_left: 1 });
    view.model.set("status", "open");
    view.model.set("hints_html", []);
    view.model.set("hints_left", 0);
    await view.redrawn();
    assert.equal(view.card.querySelector(".gf-hint"), null);
    assert.equal(offer(view).hidden, true);
  });
});

describe("plain text from Python is never read as HTML", () => {
  const HOSTILE = '<img src=x onerror="alert(1)"> & <b>bold</b>';

  test("an unreadable answer message is text tied to the field", async () => {
    const view = show({ input_error: HOSTILE });
    const input = view.byLabel("Your answer");
    const message = view.card.querySelector(".gf-input-error");
    assert.equal(message.textContent, HOSTILE);
    assert.equal(view.card.querySelector("img, b"), null);
    assert.equal(input.getAttribute("aria-invalid"), "true");
    assert.ok(input.getAttribute("aria-describedby").split(" ").includes(message.id));
    view.model.set("input_error", "");
    await view.redrawn();
    assert.equal(input.hasAttribute("aria-invalid"), false);
    assert.ok(!input.getAttribute("aria-describedby").includes(message.id));
  });

  test("student errors and notices stay text", () => {
    const view = show({ needs_student: true, student_error: HOSTILE, notice: HOSTILE });
    assert.equal(view.card.querySelector("img, b"), null);
    assert.equal(view.card.querySelector(".gf-identify .gf-input-error").textContent, HOSTILE);
    assert.equal(view.card.querySelector("[role=alert] p").textContent, HOSTILE);
  });
});

describe("identifying the student", () => {
  test("answering waits for a name, and Enter in the name field asks Python to start", () => {
    const view = show({ needs_student: true });
    assert.equal(view.byLabel("Your answer").disabled, true);
    assert.ok(view.confidence("Unsure").disabled);
    const name = view.byLabel("Your name or student number");
    view.type(name, "ada.l");
    view.pressEnter(name);
    assert.deepEqual(view.model.sent, [{ type: "identify", student: "ada.l" }]);
  });

  test("Python's complaint is shown and tied to the name field", async () => {
    const view = show({ needs_student: true });
    view.button("Start").click();
    view.model.set("student_error", "Please type your name or student number.");
    view.model.set("seq", 1);
    await view.redrawn();
    const name = view.byLabel("Your name or student number");
    const error = view.card.querySelector(`#${name.getAttribute("aria-describedby")}`);
    assert.equal(error.textContent, "Please type your name or student number.");
    assert.equal(name.getAttribute("aria-invalid"), "true");
  });

  test("once identified the form goes and focus lands on the answer", async () => {
    const view = show({ needs_student: true });
    const name = view.byLabel("Your name or student number");
    view.type(name, "ada");
    name.focus();
    view.pressEnter(name);
    view.model.set("needs_student", false);
    view.model.set("seq", 1);
    await view.redrawn();
    assert.equal(view.card.querySelector(".gf-identify"), null);
    const answer = view.byLabel("Your answer");
    assert.equal(answer.disabled, false);
    assert.equal(view.window.document.activeElement, answer);
  });
});

describe("a name typed on a shared computer", () => {
  test("the card says whose answers it saves, as text, and offers a switch", () => {
    const view = show({ student_label: "<b>Ana</b>" });
    const who = view.card.querySelector(".gf-who");
    assert.equal(who.textContent, "Saving your answers as <b>Ana</b>. Not you?");
    assert.equal(view.card.querySelector("b"), null);
    view.button("Not you?").click();
    assert.deepEqual(view.model.sent, [{ type: "switch" }]);
  });

  test("a name from the hub or the teacher shows no switch", () => {
    const view = show();
    assert.equal(view.card.querySelector(".gf-who"), null);
    assert.equal(view.button("Not you?"), null);
  });
});

describe("saving problems", () => {
  test("a notice is an alert with a button that asks Python to try again", async () => {
    const view = show();
    assert.equal(view.card.querySelector("[role=alert]"), null);
    view.model.set("notice", "Your work is not saved yet.");
    await view.redrawn();
    const alert = view.card.querySelector("[role=alert]");
    assert.ok(alert.textContent.includes("Your work is not saved yet."));
    view.button("Try saving again").click();
    assert.deepEqual(view.model.sent, [{ type: "retry" }]);
    view.model.set("notice", "");
    view.model.set("seq", 1);
    await view.redrawn();
    assert.equal(view.card.querySelector("[role=alert]"), null);
  });

  test("the school's copy is a small mark in words, announced politely, and only when held", async () => {
    const view = show({ school_saved: false });
    const mark = view.card.querySelector(".gf-school");
    assert.equal(mark.textContent, "");
    assert.equal(mark.getAttribute("aria-live"), "polite");
    view.model.set("school_saved", true);
    await view.redrawn();
    assert.equal(mark.textContent, "\u2713 Saved to the school");
    assert.equal(mark.title, "Saved to the school");
    assert.equal(mark.querySelector(".gf-school-tick").getAttribute("aria-hidden"), "true");
    assert.equal(view.card.querySelector("[role=alert]"), null);
    view.model.set("school_saved", false);
    await view.redrawn();
    assert.equal(mark.textContent, "");
    assert.equal(mark.hasAttribute("title"), false);
  });

  test("the mark speaks the card's language", () => {
    const view = show({ school_saved: true, lang: "zh-HK", strings: cardStrings("zh-HK") });
    assert.equal(view.card.querySelector(".gf-school").title, "已儲存到學校");
  });
});

describe("reflection", () => {
  const REFLECT = "Why do you think your answer came out that way? (optional)";

  test("the optional box saves what the student wrote and then says thanks", async () => {
    const view = show({ status: "wrong", attempts: 1 });
    assert.equal(view.byLabel(REFLECT), null);
    view.model.set("reflection_for", 1);
    await view.redrawn();
    const box = view.byLabel(REFLECT);
    assert.equal(box.tagName, "TEXTAREA");
    assert.equal(view.button("Save").disabled, true);
    view.type(box, "I halved 120 by mistake.");
    view.button("Save").click();
    assert.deepEqual(view.model.sent, [{ type: "reflect", text: "I halved 120 by mistake." }]);
    view.model.set("reflection_saved", true);
    view.model.set("seq", 1);
    await view.redrawn();
    assert.equal(view.byLabel(REFLECT), null);
    assert.equal(view.card.querySelector(".gf-thanks").textContent, "Thanks — noted.");
  });

  test("a new attempt brings an empty box back", async () => {
    const view = show({ reflection_for: 1, reflection_saved: true });
    view.model.set("reflection_for", 2);
    view.model.set("reflection_saved", false);
    await view.redrawn();
    assert.equal(view.byLabel(REFLECT).value, "");
    assert.equal(view.card.querySelector(".gf-thanks"), null);
  });
});

describe("the card's styles", () => {
  test("are added to the page once, however many questions it shows", () => {
    const css = ".guessfirst { color: teal; }";
    const view = show({ css });
    for (const qid of ["q2", "q3"]) {
      const el = view.window.document.createElement("div");
      view.window.document.body.append(el);
      cleanups.push(widget.render({ model: fakeModel({ ...DEFAULTS, qid, css }), el }));
    }
    const sheets = view.window.document.querySelectorAll("style");
    assert.equal(sheets.length, 1);
    assert.equal(sheets[0].textContent, css);
    assert.equal(sheets[0].parentNode, view.window.document.head);
  });

  test("go inside the shadow root a host gives the widget", () => {
    const { window } = new JSDOM("<!doctype html><html><body><div></div></body></html>");
    const shadow = window.document.querySelector("div").attachShadow({ mode: "open" });
    const el = window.document.createElement("div");
    shadow.append(el);
    cleanups.push(widget.render({ model: fakeModel({ ...DEFAULTS, css: ".x {}" }), el }));
    assert.equal(shadow.querySelector("style").textContent, ".x {}");
    assert.equal(window.document.head.querySelector("style"), null);
  });
});

describe("keys inside the card", () => {
  for (const [frontEnd, capture] of [
    ["JupyterLab (shortcuts listen as keys bubble)", false],
    ["Notebook 7 (shortcuts listen as keys go down)", true],
  ]) {
    test(`stay in the card, except the notebook's run and leave keys: ${frontEnd}`, () => {
      keysStayInTheCard(capture);
    });
  }

  test("Enter on an answer submits once, with a notebook listening either way", () => {
    const view = show({});
    for (const capture of [false, true]) {
      view.window.document.addEventListener("keydown", () => {}, capture);
    }
    view.type(view.byLabel("Your answer"), "80");
    view.pressEnter(view.byLabel("Your answer"));
    assert.equal(view.model.sent.filter((message) => message.type === "submit").length, 1);
  });

  function keysStayInTheCard(capture) {
    const view = show({ kind: "choice", choices: CHOICES });
    const reached = [];
    view.window.document.addEventListener("keydown", (event) => reached.push(event.key), capture);
    const radio = view.card.querySelector("input[type=radio]");
    for (const key of ["ArrowRight", "b", "d", "x", "0"]) {
      radio.dispatchEvent(new view.window.KeyboardEvent("keydown", { key, bubbles: true }));
    }
    assert.deepEqual(reached, []);
    for (const modifier of ["shiftKey", "ctrlKey", "altKey"]) {
      const runCell = { key: "Enter", [modifier]: true, bubbles: true };
      radio.dispatchEvent(new view.window.KeyboardEvent("keydown", runCell));
    }
    radio.dispatchEvent(new view.window.KeyboardEvent("keydown", { key: "Escape", bubbles: true }));
    assert.deepEqual(reached, ["Enter", "Enter", "Enter", "Escape"]);
    assert.equal(view.card.closest("[data-lm-suppress-shortcuts]"), null);
    assert.deepEqual(view.model.sent, []);
  }
});

describe("a question restored from the log", () => {
  test("shows the last answer typed", () => {
    const view = show({ status: "wrong", attempts: 1, last_response: "180" });
    assert.equal(view.byLabel("Your answer").value, "180");
  });

  test("shows the last choices ticked", () => {
    const view = show({
      kind: "choice",
      multiple: true,
      choices: CHOICES,
      status: "correct",
      last_response: '["a","c"]',
    });
    const ticked = [...view.card.querySelectorAll("input[type=checkbox]")].filter((i) => i.checked);
    assert.deepEqual(
      ticked.map((input) => input.value),
      ["a", "c"],
    );
  });

  test("is cleared when another student takes over the computer", async () => {
    const view = show({ status: "correct", attempts: 1, last_response: "80" });
    view.model.set("needs_student", true);
    view.model.set("last_response", "");
    await view.redrawn();
    assert.equal(view.byLabel("Your answer").value, "");
    const choices = show({ kind: "choice", choices: CHOICES, last_response: "b" });
    choices.model.set("last_response", "");
    await choices.redrawn();
    assert.equal(choices.card.querySelectorAll("input:checked").length, 0);
  });

  test("never overwrites what the student is typing", async () => {
    const view = show();
    const input = view.byLabel("Your answer");
    view.type(input, "79");
    view.model.set("last_response", "180");
    await view.redrawn();
    assert.equal(input.value, "79");
  });
});

describe("view lifecycle", () => {
  test("two views of one question never share element ids", () => {
    const first = show();
    const second = show();
    const ids = (view) => [...view.card.querySelectorAll("[id]")].map((node) => node.id);
    const shared = ids(first).filter((id) => ids(second).includes(id));
    assert.deepEqual(shared, []);
  });

  test("after cleanup the view stops listening and no longer changes", async () => {
    const view = show();
    view.cleanup();
    assert.equal(view.model.listenerCount(), 0);
    const before = view.card.innerHTML;
    view.model.set("example_html", "<p>Answer</p>");
    view.model.set("feedback_html", "<p>Feedback</p>");
    await view.redrawn();
    assert.equal(view.card.innerHTML, before);
  });

  test("the view never writes traits, it only sends requests", () => {
    const view = show();
    view.model.set = () => assert.fail("the view wrote a trait");
    view.model.save_changes = () => assert.fail("the view saved traits");
    const input = view.byLabel("Your answer");
    view.type(input, "80");
    view.pressEnter(input);
    assert.equal(view.model.sent.length, 1);
  });
});

describe("programs", () => {
  test("a prediction is typed over several lines: Enter adds a line, Submit sends it", () => {
    const view = show({ kind: "predict", placeholder: "What will it print?" });
    const box = view.byLabel("Your answer");
    assert.equal(box.tagName, "TEXTAREA");
    view.type(box, "0\n1\n4");
    view.pressEnter(box);
    assert.deepEqual(view.model.sent, []);
    view.button("Submit").click();
    assert.equal(view.model.sent[0].response, "0\n1\n4");
  });

  test("the real output is shown beside the prediction once Python sends it", async () => {
    const view = show({ kind: "predict" });
    view.model.set("outcome_html", '<div class="gf-compare"><pre>0 1 4</pre></div>');
    await view.redrawn();
    assert.equal(view.card.querySelector(".gf-outcome pre").textContent, "0 1 4");
  });

  test("a code question has no field or Submit: it says how to check from a cell", () => {
    const view = show({ kind: "code", instructions: "Run q.check(your_function)." });
    assert.equal(view.card.querySelector(".gf-instructions").textContent, "Run q.check(your_function).");
    assert.equal(view.card.querySelectorAll(".gf-answer input, .gf-answer textarea").length, 0);
    assert.equal(view.button("Submit").hidden, true);
  });

  test("a code question tells Python the confidence as soon as it is picked", () => {
    const view = show({ kind: "code" });
    view.tick(view.confidence("Certain"));
    assert.deepEqual(view.model.sent, [{ type: "confidence", confidence: 3 }]);
  });
});

describe("quiz mode", () => {
  test("a closed quiz says when it opens and asks the server again on request", () => {
    const view = show({ mode: "quiz", release_text: "The worked example opens on Monday." });
    assert.match(view.card.textContent, /opens on Monday/);
    view.button("Check again").click();
    assert.deepEqual(view.model.sent, [{ type: "open" }]);
  });

  test("the teacher's key is typed into a hidden field and sent with Enter", () => {
    const view = show({ mode: "quiz", key_entry: true });
    const key = view.byLabel("Teacher's key");
    assert.equal(key.type, "password");
    view.type(key, "owl");
    view.pressEnter(key);
    assert.deepEqual(view.model.sent, [{ type: "key", key: "owl" }]);
  });

  test("a wrong key is said next to the field", async () => {
    const view = show({ mode: "quiz", key_entry: true });
    view.model.set("key_error", "That is not the key for this question.");
    await view.redrawn();
    const key = view.byLabel("Teacher's key");
    assert.equal(key.getAttribute("aria-invalid"), "true");
    assert.match(view.card.textContent, /not the key/);
  });

  test("an answer saved with attempts left can be changed; none left locks the answer", async () => {
    const view = show({ mode: "quiz", key_entry: true, status: "saved", attempts: 1 });
    assert.ok(view.button("Submit again"));
    view.model.set("status", "done");
    await view.redrawn();
    assert.equal(view.byLabel("Your answer").disabled, true);
  });

  test("once opened, the quiz panel goes", async () => {
    const view = show({ mode: "quiz", key_entry: true });
    view.model.set("key_entry", false);
    await view.redrawn();
    assert.equal(view.byLabel("Teacher's key"), null);
  });
});

describe("faded worked examples", () => {
  const opened = { status: "wrong", attempts: 1, example_html: "<p>Step one.</p>" };

  test("the next blank step asks the student to write it before it is shown", () => {
    const view = show({ ...opened, steps_left: 2, next_step: 2 });
    const box = view.byLabel("Step 2: what comes next? Write it yourself first.");
    const reveal = view.button("Show step 2");
    assert.equal(reveal.disabled, true);
    view.type(box, "divide 120 by 1.5");
    assert.equal(reveal.disabled, false);
    reveal.click();
    assert.deepEqual(view.model.sent, [{ type: "step", text: "divide 120 by 1.5" }]);
  });

  test("a shown step sits under the student's own words, which stay text", async () => {
    const view = show({ ...opened, steps_left: 2, next_step: 2 });
    view.model.set("faded_steps", [{ n: 2, html: "<p>120 / 1.5</p>", yours: "<b>x</b>" }]);
    view.model.set("steps_left", 1);
    view.model.set("next_step", 3);
    await view.redrawn();
    const step = view.card.querySelector(".gf-step");
    assert.equal(step.querySelector(".gf-step-yours").textContent, "<b>x</b>");
    assert.equal(step.querySelector("b"), null);
    assert.equal(step.querySelector(".gf-step-body").textContent, "120 / 1.5");
    assert.ok(view.byLabel("Step 3: what comes next? Write it yourself first."));
    assert.equal(view.byLabel("Step 2: what comes next? Write it yourself first."), null);
  });

  test("when every step is shown no blank is left", async () => {
    const view = show({ ...opened, steps_left: 1, next_step: 2 });
    view.model.set("faded_steps", [{ n: 2, html: "<p>Done.</p>", yours: "done" }]);
    view.model.set("steps_left", 0);
    view.model.set("next_step", 0);
    await view.redrawn();
    assert.equal(view.card.querySelectorAll(".gf-step-blank").length, 0);
  });
});

describe("a question in parts", () => {
  const part = (id, label, extra = {}) => ({
    id,
    label,
    kind: "numeric",
    prompt_html: `<p>Part ${id}?</p>`,
    choices: [],
    multiple: false,
    status: "open",
    feedback_html: "",
    last_response: "",
    input_error: "",
    ...extra,
  });
  const multi = (parts) => show({ kind: "multi", parts });

  test("each part has its own labelled field and Check button; no card-wide Submit", () => {
    const view = multi([part("a", "(a)"), part("b", "(b)")]);
    assert.ok(view.byLabel("Your answer to (a)"));
    assert.ok(view.byLabel("Your answer to (b)"));
    assert.equal(view.button("Submit").hidden, true);
    assert.equal(view.button("Check (a)").disabled, true);
  });

  test("Enter in a part's field sends that part only, with the confidence", () => {
    const view = multi([part("a", "(a)"), part("b", "(b)")]);
    view.tick(view.confidence("Unsure"));
    const field = view.byLabel("Your answer to (b)");
    view.type(field, "1.5");
    view.pressEnter(field);
    assert.deepEqual(view.model.sent, [
      { type: "submit", part: 1, response: "1.5", confidence: 1 },
    ]);
  });

  test("a part's feedback shows under that part, and a right part is locked", async () => {
    const view = multi([part("a", "(a)"), part("b", "(b)")]);
    view.model.set("parts", [
      part("a", "(a)", { status: "correct", feedback_html: "<p>Right.</p>", last_response: "3" }),
      part("b", "(b)"),
    ]);
    await view.redrawn();
    const [first, second] = view.card.querySelectorAll(".gf-part");
    assert.equal(first.querySelector(".gf-feedback").textContent, "Right.");
    assert.equal(second.querySelector(".gf-feedback").textContent, "");
    assert.equal(view.byLabel("Your answer to (a)").disabled, true);
    assert.equal(view.byLabel("Your answer to (a)").value, "3");
    assert.equal(view.byLabel("Your answer to (b)").disabled, false);
  });

  test("a choice part is asked with its own radios", () => {
    const choices = [{ value: "car", html: "car" }, { value: "bike", html: "bike" }];
    const view = multi([part("c", "(c)", { kind: "choice", choices })]);
    const radios = view.card.querySelectorAll(".gf-part input[type=radio]");
    assert.equal(radios.length, 2);
    view.tick(radios[1]);
    view.button("Check (c)").click();
    assert.equal(view.model.sent[0].response, "bike");
  });
});

describe("language", () => {
  test("a zh-HK card draws its own words in Traditional Chinese and says its language", () => {
    const view = show({ lang: "zh-HK", strings: cardStrings("zh-HK"), ask_confidence: true });
    assert.equal(view.card.getAttribute("lang"), "zh-HK");
    assert.ok(view.button("提交"));
    assert.ok(view.byLabel("你的答案"));
    const pills = [...view.card.querySelectorAll(".gf-pill-text")].map((p) => p.textContent);
    assert.ok(pills.every((text) => /[\u4e00-\u9fff]/.test(text)), pills.join(" "));
  });

  test("a name inside the 'saving as' sentence keeps the language's word order", () => {
    const view = show({ lang: "zh-HK", strings: cardStrings("zh-HK"), student_label: "Ana" });
    const who = view.card.querySelector(".gf-who");
    assert.ok(who.textContent.startsWith("你的答案會以「Ana」"), who.textContent);
  });
});
