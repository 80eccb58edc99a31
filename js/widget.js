// guessfirst front end: one attempt-first question, drawn from traits that Python alone writes.
//
// The view never sets a trait: it redraws from the model at render time and on every change,
// and only sends requests. That keeps the gate in Python (nothing the browser does can unlock
// an answer) and lets a view that renders late, or a second view of the same widget, show the
// true state. Parts are updated in place rather than rebuilt so typed text and focus survive.

/**
 * @typedef {{
 *   get(name: string): any,
 *   on(event: string, callback: () => void): void,
 *   off(event: string, callback: () => void): void,
 *   send(content: object): void,
 * }} Model
 * @typedef {{ root: HTMLElement, inputs: HTMLInputElement[], value(): string | string[] }} Control
 */

const TRAITS = [
  "qid",
  "kind",
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

/** The one style element of a page (or of a shadow root, as marimo gives each widget). */
const STYLE_ID = "guessfirst-style";

/**
 * Add the card's styles where `el` lives, unless they are already there: one sheet for
 * every question on the page, parsed once, where anywidget's `_css` would replace its
 * sheet for every new question and restyle the page each time.
 */
function addStyles(el, css) {
  const root = el.getRootNode();
  const inShadow = root.nodeType === 11 && root.host !== undefined; // a ShadowRoot
  const parent = inShadow ? root : el.ownerDocument.head;
  if (!css) return;
  let style = parent.querySelector(`style#${STYLE_ID}`);
  if (style === null) {
    style = el.ownerDocument.createElement("style");
    style.id = STYLE_ID;
    parent.append(style);
  }
  if (style.textContent !== css) style.textContent = css;
}

/**
 * The confidence scale, by its keys in the catalogue. Index in this list is the value
 * sent to Python (see the event log format).
 */
const CONFIDENCE_LEVELS = ["guessing", "unsure", "fairly_sure", "certain"];

/** A lost reply must not leave the student stuck behind a disabled button. */
const BUSY_TIMEOUT_MS = 5000;

/**
 * The card's words in the student's language: Python sends the ``card.*`` part of the
 * catalogue (src/guessfirst/locales) with each question. ``{name}`` takes a value.
 * @param {Model} model
 * @returns {(key: string, values?: Record<string, string | number>) => string}
 */
function speaker(model) {
  return (key, values = {}) => {
    const template = (model.get("strings") ?? {})[`card.${key}`] ?? key;
    return template.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));
  };
}

let viewCount = 0;

/** The HTML last written into each node, so unchanged HTML is not written again. */
const writtenHtml = new WeakMap();

/**
 * Build an element. Text goes in as textContent; only callers that hold HTML sanitized by
 * Python set innerHTML themselves.
 * @param {string} tag
 * @param {Record<string, string | boolean>} [attrs]
 * @param {string} [text]
 * @returns {HTMLElement}
 */
function element(tag, attrs = {}, text = "") {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === true) node.setAttribute(name, "");
    else if (value !== false) node.setAttribute(name, value);
  }
  if (text) node.textContent = text;
  return node;
}

/** Set innerHTML only when it changed, so a live region is not re-announced needlessly. */
function setHtml(node, html) {
  if (writtenHtml.get(node) !== html) {
    node.innerHTML = html;
    writtenHtml.set(node, html);
  }
}

/** Put `node` (or nothing) into a slot whose place in the card is fixed. */
function mount(slot, node) {
  if (node === null) slot.replaceChildren();
  else if (slot.firstChild !== node) slot.replaceChildren(node);
}

/** Unique ids per view: the same question may be displayed several times on one page. */
function idMaker(qid) {
  viewCount += 1;
  const base = `gf-${String(qid || "q").replace(/[^A-Za-z0-9_-]/g, "_")}-${viewCount}`;
  return (part) => `${base}-${part}`;
}

/**
 * Each card's key handler, by card root, shared by every copy of this module on the page.
 * Front ends whose shortcuts listen in the capture phase (Notebook 7) see a key before
 * the card does, and would move the cell selection on an arrow pressed on a radio: one
 * capture listener on the window, which runs before theirs, hands keys to the card first.
 */
function keyHandlers(win) {
  const slot = Symbol.for("guessfirst.keyHandlers");
  if (!win[slot]) {
    const handlers = new WeakMap();
    win[slot] = handlers;
    win.addEventListener(
      "keydown",
      (event) => {
        const root = event.composedPath().find((node) => handlers.has(node));
        if (root) handlers.get(root)(event);
      },
      true,
    );
  }
  return win[slot];
}

/** Keys a notebook should still get from inside the card: run the cell, leave it. */
function isNotebookKey(event) {
  const runs =
    event.key === "Enter" && (event.shiftKey || event.ctrlKey || event.metaKey || event.altKey);
  return runs || event.key === "Escape";
}

function isPlainEnter(event) {
  return (
    event.key === "Enter" &&
    !event.isComposing &&
    !event.shiftKey &&
    !event.ctrlKey &&
    !event.altKey &&
    !event.metaKey
  );
}

/**
 * @param {string} kind
 * @param {string} id
 * @returns {Control}
 */
function textControl(kind, id, label) {
  const root = element("div", { class: "gf-field" });
  // What a program prints runs over several lines: Enter starts a new one there.
  const input =
    kind === "predict"
      ? element("textarea", { id, class: "gf-textarea gf-code-input", rows: "4" })
      : element("input", { id, class: "gf-input", type: "text", autocomplete: "off" });
  input.setAttribute("spellcheck", "false");
  if (kind === "numeric") input.setAttribute("inputmode", "decimal");
  root.append(element("label", { class: "gf-label", for: id }, label), input);
  return { root, inputs: [input], value: () => input.value };
}

/**
 * A code question is answered in a notebook cell, by calling the question's check: the
 * card says how, and has no field of its own.
 * @returns {Control}
 */
function cellControl() {
  const root = element("p", { class: "gf-instructions" });
  return { root, inputs: [], value: () => "" };
}

/**
 * @param {{ value: string, html: string }[]} choices
 * @param {boolean} multiple
 * @param {(part: string) => string} id
 * @returns {Control}
 */
function choiceControl(choices, multiple, id, say) {
  const root = element("fieldset", { class: "gf-choices" });
  const legend = say(multiple ? "answer.choose_all" : "answer.choose_one");
  root.append(element("legend", { class: "gf-label" }, legend));
  const inputs = choices.map((choice) => {
    const input = element("input", {
      type: multiple ? "checkbox" : "radio",
      name: id("choice"),
      class: "gf-choice-input",
    });
    input.value = String(choice.value);
    const text = element("span", { class: "gf-choice-text" });
    text.innerHTML = choice.html;
    const label = element("label", { class: "gf-choice" });
    label.append(input, text);
    root.append(label);
    return input;
  });
  const checked = () => inputs.filter((input) => input.checked).map((input) => input.value);
  return { root, inputs, value: () => (multiple ? checked() : (checked()[0] ?? "")) };
}

/**
 * Show the student's last answer in an untouched control, so a question restored from the
 * log looks answered. A several-choice answer arrives as a JSON list.
 */
function showAnswer(control, response, multiple) {
  if (!response || control.inputs.length === 0 || hasAnswer(control)) return;
  if (isTyped(control.inputs[0])) {
    control.inputs[0].value = response;
    return;
  }
  let picked = [response];
  if (multiple) {
    try {
      picked = JSON.parse(response);
    } catch {
      return;
    }
  }
  for (const input of control.inputs) input.checked = picked.includes(input.value);
}

/** A field the student types into, as opposed to a radio or checkbox. */
function isTyped(input) {
  return input.tagName === "TEXTAREA" || input.type === "text";
}

function clearAnswer(control) {
  for (const input of control.inputs) {
    if (isTyped(input)) input.value = "";
    else input.checked = false;
  }
}

function hasAnswer(control) {
  const value = control.value();
  return Array.isArray(value) ? value.length > 0 : value.trim() !== "";
}

function confidenceFieldset(id, say) {
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
  return { root, inputs };
}

/** The empty-by-default skeleton; every part that can change is filled in by `update`. */
function skeleton(id, say) {
  const parts = {
    // Notebook shortcuts are kept out by the keydown handler in `render`, not by Lumino's
    // data-lm-suppress-shortcuts: that attribute would also block Shift+Enter (run cell).
    root: element("div", { class: "guessfirst" }),
    noticeSlot: element("div", { class: "gf-slot" }),
    identifySlot: element("div", { class: "gf-slot" }),
    prompt: element("div", { class: "gf-prompt", id: id("prompt") }),
    answerSlot: element("div", { class: "gf-answer" }),
    inputError: element("p", {
      class: "gf-input-error",
      id: id("input-error"),
      "aria-live": "polite",
    }),
    confidence: confidenceFieldset(id, say),
    submit: element("button", { type: "button", class: "gf-button gf-submit" }, say("submit")),
    feedback: element("div", {
      class: "gf-feedback",
      role: "status",
      "aria-live": "polite",
      tabindex: "-1",
    }),
    outcome: element("div", { class: "gf-outcome" }),
    quizSlot: element("div", { class: "gf-slot" }),
    // Always in the page, so that a hint added to it is announced: a live region that
    // appears together with its content is not.
    hints: element("div", { class: "gf-hints", "aria-live": "polite" }),
    hintButton: element("button", { type: "button", class: "gf-button gf-hint-button" }),
    exampleSlot: element("div", { class: "gf-slot" }),
    reflectionSlot: element("div", { class: "gf-slot" }),
    whoSlot: element("div", { class: "gf-slot" }),
    // Always in the page, so that the mark is announced when it appears; empty until then.
    school: element("p", { class: "gf-school", "aria-live": "polite" }),
  };
  const actions = element("div", { class: "gf-actions" });
  actions.append(parts.submit);
  parts.hintButton.hidden = true;
  const hintActions = element("div", { class: "gf-actions" });
  hintActions.append(parts.hintButton);
  parts.root.append(
    parts.noticeSlot,
    parts.identifySlot,
    parts.prompt,
    parts.answerSlot,
    parts.inputError,
    parts.confidence.root,
    actions,
    parts.feedback,
    parts.outcome,
    parts.quizSlot,
    parts.hints,
    hintActions,
    parts.exampleSlot,
    parts.reflectionSlot,
    parts.whoSlot,
    parts.school,
  );
  return parts;
}

/**
 * @param {{ model: Model, el: HTMLElement }} context
 * @returns {() => void} cleanup, as AnyWidget expects
 */
function render({ model, el }) {
  addStyles(el, model.get("css") ?? "");
  const id = idMaker(model.get("qid"));
  const say = speaker(model);
  const parts = skeleton(id, say);
  const trait = (name, fallback) => model.get(name) ?? fallback;
  // Screen readers pick their voice, and <q> its quotation marks, from the language.
  parts.root.setAttribute("lang", trait("lang", "en"));
  const state = {
    busy: false,
    timer: undefined,
    seq: trait("seq", 0),
    attempts: trait("attempts", 0),
    shape: "",
    lastResponse: "",
    /** @type {Control | null} */
    control: null,
    notice: null,
    identify: null,
    who: null,
    quiz: null,
    /** The parts of a question in parts, as drawn: fields, buttons, feedback. */
    parts: null,
    partsShape: "",
    example: null,
    reflection: null,
  };

  /** A finished question, or one waiting for the student's name, takes no answer. */
  const answerLocked = () =>
    trait("needs_student", false) || ["correct", "done"].includes(trait("status", "open"));

  function setBusy(busy) {
    clearTimeout(state.timer);
    state.busy = busy;
    if (busy) state.timer = setTimeout(() => setBusy(false), BUSY_TIMEOUT_MS);
    refreshButtons();
  }

  function send(message) {
    model.send(message);
    keepingFocus(() => setBusy(true));
  }

  function canSubmit() {
    return !state.busy && !answerLocked() && state.control !== null && hasAnswer(state.control);
  }

  /** The confidence picked on the scale, as its place on it, or null. */
  function pickedConfidence() {
    const checked = parts.confidence.inputs.find((input) => input.checked);
    return trait("ask_confidence", false) && checked ? Number(checked.value) : null;
  }

  function submit() {
    if (!canSubmit()) return;
    send({ type: "submit", response: state.control.value(), confidence: pickedConfidence() });
  }

  function canSubmitPart(view) {
    return !state.busy && !view.locked && hasAnswer(view.control);
  }

  function submitPart(index) {
    const view = state.parts[index];
    if (!view || !canSubmitPart(view)) return;
    send({
      type: "submit",
      part: index,
      response: view.control.value(),
      confidence: pickedConfidence(),
    });
  }

  function identify() {
    if (!state.busy && state.identify) {
      send({ type: "identify", student: state.identify.input.value });
    }
  }

  function reflect() {
    const box = state.reflection;
    if (!state.busy && box?.textarea && box.textarea.value.trim() !== "") {
      send({ type: "reflect", text: box.textarea.value });
    }
  }

  function openWithKey() {
    const input = state.quiz?.input;
    if (!state.busy && input?.value) send({ type: "key", key: input.value });
  }

  function askHint() {
    if (!state.busy && !parts.hintButton.hidden) send({ type: "hint" });
  }

  function refreshButtons() {
    parts.submit.disabled = !canSubmit();
    if (state.identify) state.identify.button.disabled = state.busy;
    if (state.notice) state.notice.button.disabled = state.busy;
    if (state.who) state.who.button.disabled = state.busy;
    for (const button of state.quiz?.buttons ?? []) button.disabled = state.busy;
    for (const view of state.parts ?? []) view.button.disabled = !canSubmitPart(view);
    const blank = state.example?.blank;
    if (blank) blank.button.disabled = state.busy || blank.textarea.value.trim() === "";
    const box = state.reflection;
    if (box?.textarea) box.button.disabled = state.busy || box.textarea.value.trim() === "";
  }

  /** Where focus goes when the focused control was disabled or removed by an update. */
  function focusFallback(lost) {
    // The last hint was just opened and its button went: the student reads on from it.
    const newest = parts.hints.lastElementChild;
    if (lost === parts.hintButton && newest) return newest;
    // A step was just shown: the student writes the next one, or reads the last shown.
    if (lost.closest?.(".gf-step-blank")) {
      const steps = parts.root.querySelectorAll(".gf-step");
      return state.example?.blank?.textarea ?? steps[steps.length - 1] ?? parts.feedback;
    }
    const view = state.parts?.find((candidate) => candidate.root.contains(lost));
    if (view) return view.control.inputs.find((input) => !input.disabled) ?? view.feedback;
    for (const part of [state.identify, state.reflection]) {
      const field = part?.input ?? part?.textarea;
      if (field && part.root.contains(lost)) return field;
    }
    const inputs = state.control?.inputs.filter((input) => !input.disabled) ?? [];
    return inputs.find((input) => input.checked) ?? inputs[0] ?? parts.feedback;
  }

  /** Run an update without letting keyboard focus fall back to the page body. */
  function keepingFocus(change) {
    const active = parts.root.getRootNode().activeElement;
    const inside = active !== null && parts.root.contains(active);
    change();
    if (inside && (!parts.root.contains(active) || active.disabled || active.closest("[hidden]"))) {
      focusFallback(active).focus({ preventScroll: true });
    }
  }

  /** A question in parts: each part has its own field, Check button and feedback. */
  function updateParts() {
    const shown = trait("parts", []);
    const shape = JSON.stringify(shown.map((p) => [p.id, p.kind, p.multiple, p.choices]));
    if (shape !== state.partsShape) {
      state.partsShape = shape;
      const list = element("div", { class: "gf-parts" });
      state.parts = shown.map((part, index) => {
        const pid = (name) => id(`part-${index}-${name}`);
        const root = element("section", { class: "gf-part", "aria-labelledby": pid("prompt") });
        const prompt = element("div", { class: "gf-part-prompt", id: pid("prompt") });
        const body = element("div", { class: "gf-part-body" });
        prompt.append(element("strong", { class: "gf-part-label" }, part.label), body);
        const control =
          part.kind === "choice"
            ? choiceControl(part.choices, part.multiple, pid, say)
            : textControl(part.kind, pid("answer"), say("part.answer_to", { label: part.label }));
        const error = element("p", { class: "gf-input-error", id: pid("error") });
        error.setAttribute("aria-live", "polite");
        const button = element("button", { type: "button", class: "gf-button" });
        button.textContent = say("part.check", { label: part.label });
        button.addEventListener("click", () => submitPart(index));
        const actions = element("div", { class: "gf-actions" });
        actions.append(button);
        const feedback = element("div", {
          class: "gf-feedback",
          role: "status",
          "aria-live": "polite",
          tabindex: "-1",
        });
        root.append(prompt, control.root, error, actions, feedback);
        list.append(root);
        return { root, body, control, error, button, feedback, lastResponse: "", locked: false };
      });
      mount(parts.answerSlot, list);
    }
    shown.forEach((part, index) => {
      const view = state.parts[index];
      view.root.dataset.status = part.status;
      setHtml(view.body, part.prompt_html);
      setHtml(view.feedback, part.feedback_html);
      view.error.textContent = part.input_error;
      if (part.last_response !== view.lastResponse) {
        if (!part.last_response) clearAnswer(view.control);
        showAnswer(view.control, part.last_response, part.multiple);
        view.lastResponse = part.last_response;
      }
      view.locked = trait("needs_student", false) || part.status === "correct";
      const described = part.input_error ? `${id(`part-${index}-prompt`)} ${view.error.id}` : "";
      for (const input of view.control.inputs) {
        input.disabled = view.locked;
        if (described) input.setAttribute("aria-describedby", described);
        else input.setAttribute("aria-describedby", id(`part-${index}-prompt`));
      }
    });
  }

  function updateAnswer() {
    const kind = trait("kind", "text");
    parts.submit.hidden = kind === "code" || kind === "multi";
    if (kind === "multi") {
      updateParts();
      return;
    }
    const choices = trait("choices", []);
    const multiple = Boolean(trait("multiple", false));
    const shape = JSON.stringify(kind === "choice" ? [kind, multiple, choices] : ["text", kind]);
    if (shape !== state.shape) {
      const previous = state.control?.inputs[0];
      let next;
      if (kind === "choice") next = choiceControl(choices, multiple, id, say);
      else if (kind === "code") next = cellControl();
      else next = textControl(kind, id("answer"), say("answer.label"));
      if (previous && next.inputs[0] && isTyped(previous) && isTyped(next.inputs[0])) {
        next.inputs[0].value = previous.value;
      }
      state.shape = shape;
      state.control = next;
      mount(parts.answerSlot, next.root);
    }
    const control = state.control;
    const last = trait("last_response", "");
    if (last !== state.lastResponse) {
      // Emptied: another student took over, and must not find the last one's answer here.
      if (!last) clearAnswer(control);
      showAnswer(control, last, multiple);
      state.lastResponse = last;
    }
    const error = trait("input_error", "");
    parts.inputError.textContent = error;
    const describedBy = error ? `${id("prompt")} ${id("input-error")}` : id("prompt");
    const described = control.root.tagName === "FIELDSET" ? control.root : control.inputs[0];
    described?.setAttribute("aria-describedby", describedBy);
    for (const input of control.inputs) {
      input.disabled = answerLocked();
      if (error) input.setAttribute("aria-invalid", "true");
      else input.removeAttribute("aria-invalid");
      if (isTyped(input)) input.placeholder = trait("placeholder", "");
    }
    if (kind === "code") control.root.textContent = trait("instructions", "");
  }

  function updateConfidence() {
    const attempts = trait("attempts", 0);
    if (attempts !== state.attempts) {
      state.attempts = attempts;
      for (const input of parts.confidence.inputs) input.checked = false;
    }
    parts.confidence.root.hidden = !trait("ask_confidence", false);
    for (const input of parts.confidence.inputs) input.disabled = answerLocked();
  }

  function updateNotice() {
    const text = trait("notice", "");
    if (!text) {
      state.notice = null;
    } else if (!state.notice) {
      const root = element("div", { class: "gf-notice", role: "alert" });
      const message = element("p", { class: "gf-notice-text" });
      const button = element("button", { type: "button", class: "gf-button" }, say("notice.retry"));
      button.addEventListener("click", () => {
        if (!state.busy) send({ type: "retry" });
      });
      root.append(message, button);
      state.notice = { root, message, button };
    }
    if (state.notice) state.notice.message.textContent = text;
    mount(parts.noticeSlot, state.notice?.root ?? null);
  }

  function updateIdentify() {
    if (!trait("needs_student", false)) {
      state.identify = null;
    } else if (!state.identify) {
      const root = element("div", { class: "gf-identify" });
      const input = element("input", {
        id: id("student"),
        class: "gf-input",
        type: "text",
        autocomplete: "off",
        spellcheck: "false",
      });
      const button = element("button", { type: "button", class: "gf-button" }, say("student.start"));
      const error = element("p", { class: "gf-input-error", id: id("student-error") });
      error.setAttribute("aria-live", "polite");
      const row = element("div", { class: "gf-row" });
      row.append(input, button);
      root.append(element("label", { class: "gf-label", for: id("student") }, say("student.prompt")), row);
      root.append(error);
      button.addEventListener("click", identify);
      state.identify = { root, input, button, error };
    }
    if (state.identify) {
      const { input, error } = state.identify;
      const message = trait("student_error", "");
      error.textContent = message;
      if (message) {
        input.setAttribute("aria-invalid", "true");
        input.setAttribute("aria-describedby", id("student-error"));
      } else {
        input.removeAttribute("aria-invalid");
        input.removeAttribute("aria-describedby");
      }
    }
    mount(parts.identifySlot, state.identify?.root ?? null);
  }

  /** A typed name may be the last student's on a shared computer: say it, offer a switch. */
  function updateWho() {
    const name = trait("student_label", "");
    if (!name) {
      state.who = null;
    } else if (!state.who) {
      const root = element("p", { class: "gf-who" });
      const label = element("span", { class: "gf-who-name" });
      const button = element("button", { type: "button", class: "gf-link" }, say("student.not_you"));
      button.addEventListener("click", () => {
        if (!state.busy) send({ type: "switch" });
      });
      // The name sits inside the sentence, where each language puts it.
      const [before, after = ""] = say("student.saving_as", { name: "\u0000" }).split("\u0000");
      root.append(before, label, `${after} `, button);
      state.who = { root, label, button };
    }
    if (state.who) state.who.label.textContent = name;
    mount(parts.whoSlot, state.who?.root ?? null);
  }

  /** A calm mark once the school's copy holds what this card wrote; no word otherwise. */
  function updateSchool() {
    const saved = Boolean(trait("school_saved", false));
    if (saved === (parts.school.childElementCount > 0)) return;
    if (!saved) {
      parts.school.replaceChildren();
      parts.school.removeAttribute("title");
      return;
    }
    const words = say("school_saved");
    parts.school.replaceChildren(
      element("span", { class: "gf-school-tick", "aria-hidden": "true" }, "\u2713"),
      ` ${words}`,
    );
    parts.school.title = words;
  }

  /** A closed quiz says when its examples open, and takes the teacher's key. */
  function updateQuiz() {
    const when = trait("release_text", "");
    const keyed = Boolean(trait("key_entry", false));
    const shape = when || keyed ? `${when}:${keyed}` : "";
    if (!shape) {
      state.quiz = null;
    } else if (state.quiz?.shape !== shape) {
      const root = element("div", { class: "gf-quiz" });
      const quiz = { shape, root, buttons: [], input: null, error: null };
      if (when) {
        const check = element("button", { type: "button", class: "gf-link" }, say("quiz.check_again"));
        check.addEventListener("click", () => {
          if (!state.busy) send({ type: "open" });
        });
        root.append(element("p", {}, when), check);
        quiz.buttons.push(check);
      }
      if (keyed) {
        const input = element("input", {
          id: id("key"),
          class: "gf-input",
          type: "password",
          autocomplete: "off",
        });
        const button = element("button", { type: "button", class: "gf-button" }, say("quiz.open"));
        const error = element("p", { class: "gf-input-error", id: id("key-error") });
        error.setAttribute("aria-live", "polite");
        button.addEventListener("click", openWithKey);
        const row = element("div", { class: "gf-row" });
        row.append(input, button);
        root.append(element("label", { class: "gf-label", for: id("key") }, say("quiz.teacher_key")));
        root.append(row, error);
        Object.assign(quiz, { input, error });
        quiz.buttons.push(button);
      }
      state.quiz = quiz;
    }
    if (state.quiz?.error) {
      const message = trait("key_error", "");
      state.quiz.error.textContent = message;
      if (message) {
        state.quiz.input.setAttribute("aria-invalid", "true");
        state.quiz.input.setAttribute("aria-describedby", id("key-error"));
      } else {
        state.quiz.input.removeAttribute("aria-invalid");
        state.quiz.input.removeAttribute("aria-describedby");
      }
    }
    mount(parts.quizSlot, state.quiz?.root ?? null);
  }

  function updateExample() {
    const html = trait("example_html", "");
    if (!html) {
      state.example = null;
    } else if (!state.example) {
      const root = element("section", { class: "gf-example", "aria-labelledby": id("example") });
      const body = element("div", { class: "gf-example-body" });
      root.append(element("h3", { class: "gf-example-title", id: id("example") }, say("example.title")));
      root.append(body);
      state.example = { root, body };
    }
    if (state.example) {
      setHtml(state.example.body, html);
      updateSteps(state.example);
    }
    mount(parts.exampleSlot, state.example?.root ?? null);
  }

  /**
   * A faded example's blank steps: the student writes the next one, then sees the real
   * step under their own. Filled steps only grow, so only new ones are added.
   */
  function updateSteps(example) {
    example.steps ??= element("div", { class: "gf-steps", "aria-live": "polite" });
    if (!example.steps.parentNode) example.root.append(example.steps);
    const filled = trait("faded_steps", []);
    const list = example.steps;
    while (list.querySelectorAll(".gf-step").length > filled.length) {
      list.querySelector(".gf-step:last-of-type").remove();
    }
    filled.forEach((step, index) => {
      if (list.querySelectorAll(".gf-step")[index]) return;
      const title = id(`step-${step.n}`);
      const section = element("section", {
        class: "gf-step",
        "aria-labelledby": title,
        tabindex: "-1",
      });
      section.append(element("h4", { class: "gf-label", id: title }, say("step.title", { number: step.n })));
      section.append(element("p", { class: "gf-step-yours-label" }, say("step.you_wrote")));
      section.append(element("blockquote", { class: "gf-step-yours" }, step.yours));
      const body = element("div", { class: "gf-step-body" });
      setHtml(body, step.html);
      section.append(body);
      list.insertBefore(section, example.blank?.root ?? null);
    });
    const next = trait("next_step", 0);
    if (!next) {
      example.blank?.root.remove();
      example.blank = null;
    } else if (example.blank?.number !== next) {
      example.blank?.root.remove();
      const root = element("div", { class: "gf-step-blank" });
      const field = id(`step-${next}-text`);
      const textarea = element("textarea", { id: field, class: "gf-textarea", rows: "3" });
      const button = element("button", { type: "button", class: "gf-button" }, say("step.show", { number: next }));
      const label = element("label", { class: "gf-label", for: field }, say("step.yours", { number: next }));
      textarea.addEventListener("input", refreshButtons);
      button.addEventListener("click", () => {
        if (!state.busy && textarea.value.trim()) send({ type: "step", text: textarea.value });
      });
      root.append(label, textarea, button);
      list.append(root);
      example.blank = { number: next, root, textarea, button };
    }
  }

  /** Hints only grow for one student: new ones are appended, so only they are read out. */
  function updateHints() {
    const hints = trait("hints_html", []);
    while (parts.hints.children.length > hints.length) parts.hints.lastElementChild.remove();
    hints.forEach((html, index) => {
      let hint = parts.hints.children[index];
      if (!hint) {
        const title = id(`hint-${index + 1}`);
        hint = element("section", { class: "gf-hint", "aria-labelledby": title, tabindex: "-1" });
        hint.append(element("h3", { class: "gf-label", id: title }, say("hint.title", { number: index + 1 })));
        hint.append(element("div", { class: "gf-hint-body" }));
        parts.hints.append(hint);
      }
      setHtml(hint.lastElementChild, html);
    });
    const left = trait("hints_left", 0);
    parts.hintButton.hidden = !(left > 0 && trait("status", "open") === "wrong");
    const total = hints.length + left;
    parts.hintButton.textContent = say("hint.show", { next: hints.length + 1, total });
  }

  function updateReflection() {
    const attempt = trait("reflection_for", 0);
    const saved = Boolean(trait("reflection_saved", false));
    const key = attempt > 0 ? `${attempt}:${saved}` : "";
    if (!key) {
      state.reflection = null;
    } else if (state.reflection?.key !== key && saved) {
      const root = element("p", { class: "gf-thanks" }, say("reflection.thanks"));
      state.reflection = { key, root };
    } else if (state.reflection?.key !== key) {
      const root = element("div", { class: "gf-reflection" });
      const textarea = element("textarea", {
        id: id("reflection"),
        class: "gf-textarea",
        rows: "3",
      });
      const button = element("button", { type: "button", class: "gf-button" }, say("reflection.save"));
      textarea.addEventListener("input", refreshButtons);
      button.addEventListener("click", reflect);
      root.append(element("label", { class: "gf-label", for: id("reflection") }, say("reflection.prompt")));
      root.append(textarea, button);
      state.reflection = { key, root, textarea, button };
    }
    mount(parts.reflectionSlot, state.reflection?.root ?? null);
  }

  function update() {
    const seq = trait("seq", 0);
    if (seq !== state.seq) {
      state.seq = seq;
      setBusy(false);
    }
    const status = trait("status", "open");
    parts.root.dataset.status = status;
    const label = say({ wrong: "try_again", saved: "submit_again" }[status] ?? "submit");
    parts.submit.textContent = label;
    setHtml(parts.prompt, trait("prompt_html", ""));
    setHtml(parts.feedback, trait("feedback_html", ""));
    setHtml(parts.outcome, trait("outcome_html", ""));
    updateNotice();
    updateIdentify();
    updateAnswer();
    updateConfidence();
    updateHints();
    updateQuiz();
    updateExample();
    updateReflection();
    updateWho();
    updateSchool();
    refreshButtons();
  }

  // A reply from the kernel changes several traits at once (status, feedback, example,
  // ...), each with its own event: the card is redrawn once, after the last of them.
  let redraw = false;
  const onChange = () => {
    if (redraw) return;
    redraw = true;
    queueMicrotask(() => {
      redraw = false;
      keepingFocus(update);
    });
  };

  parts.root.addEventListener("input", refreshButtons);
  parts.root.addEventListener("change", refreshButtons);
  // A code question is checked from a cell, so Python is told the confidence as it is picked.
  parts.confidence.root.addEventListener("change", (event) => {
    if (trait("kind", "") === "code" && event.target.checked) {
      model.send({ type: "confidence", confidence: Number(event.target.value) });
    }
  });
  parts.submit.addEventListener("click", submit);
  parts.hintButton.addEventListener("click", askHint);
  const onKey = (event) => {
    // Otherwise arrows on a radio move the notebook's cell selection, and letters on a
    // button insert ("b") or delete ("d d") cells.
    if (!isNotebookKey(event)) event.stopPropagation();
    if (!isPlainEnter(event)) return;
    const target = event.composedPath()[0];
    const inAnswer = parts.answerSlot.contains(target) || parts.confidence.root.contains(target);
    const part = state.parts?.findIndex((view) => view.root.contains(target)) ?? -1;
    if (part >= 0 && target.tagName === "INPUT") {
      event.preventDefault();
      submitPart(part);
    } else if (inAnswer && target.tagName === "INPUT" && !state.parts) {
      event.preventDefault();
      submit();
    } else if (state.identify && target === state.identify.input) {
      event.preventDefault();
      identify();
    } else if (state.quiz?.input && target === state.quiz.input) {
      event.preventDefault();
      openWithKey();
    }
  };
  // The window's listener hands keys over on a page. The card's own covers a card the
  // window cannot see (not attached); a key the window handed over is stopped before it.
  const handlers = keyHandlers(el.ownerDocument.defaultView ?? globalThis);
  handlers.set(parts.root, onKey);
  parts.root.addEventListener("keydown", onKey);

  update();
  el.append(parts.root);
  for (const name of TRAITS) model.on(`change:${name}`, onChange);

  return () => {
    handlers.delete(parts.root);
    for (const name of TRAITS) model.off(`change:${name}`, onChange);
    clearTimeout(state.timer);
  };
}

export default { render };
