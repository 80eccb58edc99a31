// What the card says about saving: a problem (with a retry), and a calm mark once the
// school's copy holds what this card wrote.

import { element, mount } from "./dom.js";

/** @typedef {import("./types").Card} Card */

/**
 * A saving problem: an alert, with a button that asks Python to try again.
 * @param {Card} card
 */
export function noticePart(card) {
  const slot = element("div", { class: "gf-slot" });
  /** @type {{ root: HTMLElement, message: HTMLElement, button: HTMLButtonElement } | null} */
  let notice = null;
  return {
    slot,
    update() {
      const text = card.trait("notice", "");
      if (!text) {
        notice = null;
      } else if (!notice) {
        const root = element("div", { class: "gf-notice", role: "alert" });
        const message = element("p", { class: "gf-notice-text" });
        const retry = card.say("notice.retry");
        const button = element("button", { type: "button", class: "gf-button" }, retry);
        button.addEventListener("click", () => {
          if (!card.busy()) card.send({ type: "retry" });
        });
        root.append(message, button);
        notice = { root, message, button };
      }
      if (notice) notice.message.textContent = text;
      mount(slot, notice?.root ?? null);
    },
    refresh() {
      if (notice) notice.button.disabled = card.busy();
    },
  };
}

/**
 * The school's mark: no word until the hub service holds the card's events.
 * @param {Card} card
 */
export function schoolPart(card) {
  // Always in the page, so that the mark is announced when it appears; empty until then.
  const root = element("p", { class: "gf-school", "aria-live": "polite" });
  return {
    root,
    update() {
      const saved = Boolean(card.trait("school_saved", false));
      if (saved === root.childElementCount > 0) return;
      if (!saved) {
        root.replaceChildren();
        root.removeAttribute("title");
        return;
      }
      const words = card.say("school_saved");
      root.replaceChildren(
        element("span", { class: "gf-school-tick", "aria-hidden": "true" }, "\u2713"),
        ` ${words}`,
      );
      root.title = words;
    },
  };
}
