// The first explanation: why the card asks for a guess first. Python decides which card
// carries it and for whom (see src/guessfirst/student/science.py); the card draws it from
// `welcome_html` and, on "Got it", only says so. The text is general: it tells no answer.

import { element, mount, setHtml } from "./dom.js";

/** @typedef {import("./types").Card} Card */

/** What a student can type in, or press, once the welcome is gone: the first such control. */
const NEXT_FOCUS = [
  "input:not([disabled]):not([type=hidden]), textarea:not([disabled])",
  "button:not([disabled])",
];

/**
 * The welcome, above the card's question, while Python sends it.
 * @param {Card} card
 */
export function welcomePart(card) {
  const slot = element("div", { class: "gf-slot" });
  /** @type {{ root: HTMLElement, text: HTMLElement, button: HTMLButtonElement } | null} */
  let welcome = null;
  let dismissed = false;

  /** Hidden at once, without waiting on Python; focus goes on to the question. */
  function dismiss() {
    const shown = /** @type {Document | ShadowRoot} */ (slot.getRootNode());
    const hadFocus = welcome !== null && welcome.root.contains(shown.activeElement);
    dismissed = true;
    card.send({ type: "welcomed" }, { busy: false });
    mount(slot, null);
    welcome = null;
    const root = slot.parentElement;
    if (!hadFocus || root === null) return;
    for (const selector of NEXT_FOCUS) {
      const next = /** @type {HTMLElement | null} */ (root.querySelector(selector));
      if (next) {
        next.focus({ preventScroll: true });
        return;
      }
    }
  }

  return {
    slot,
    update() {
      const html = card.trait("welcome_html", "");
      if (!html || dismissed) {
        dismissed = dismissed && html !== "";
        welcome = null;
      } else if (!welcome) {
        const titleId = card.id("welcome-title");
        const root = element("section", { class: "gf-welcome", "aria-labelledby": titleId });
        const text = element("div", { class: "gf-welcome-text" });
        const button = element("button", { type: "button", class: "gf-button" });
        button.textContent = card.say("welcome.got_it");
        button.addEventListener("click", dismiss);
        root.append(text, button);
        welcome = { root, text, button };
      }
      if (welcome) {
        setHtml(welcome.text, html);
        welcome.text.querySelector("h4")?.setAttribute("id", card.id("welcome-title"));
      }
      mount(slot, welcome?.root ?? null);
    },
  };
}
