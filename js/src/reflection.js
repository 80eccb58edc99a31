// An optional box after an attempt: what the student thinks went wrong (or right).

import { element, mount } from "./dom.js";

/** @typedef {import("./types").Card} Card */
/**
 * @typedef {{ key: string, root: HTMLElement, textarea?: HTMLTextAreaElement,
 *   button?: HTMLButtonElement }} Box
 */

/** @param {Card} card */
export function reflectionPart(card) {
  const { trait, say, id } = card;
  const slot = element("div", { class: "gf-slot" });
  /** @type {Box | null} */
  let box = null;

  function reflect() {
    if (!card.busy() && box?.textarea && box.textarea.value.trim() !== "") {
      card.send({ type: "reflect", text: box.textarea.value });
    }
  }

  /** @param {string} key */
  function emptyBox(key) {
    const root = element("div", { class: "gf-reflection" });
    const textarea = element("textarea", { id: id("reflection"), class: "gf-textarea", rows: "3" });
    const button = element("button", { type: "button", class: "gf-button" }, say("reflection.save"));
    textarea.addEventListener("input", card.refresh);
    button.addEventListener("click", reflect);
    const label = say("reflection.prompt");
    root.append(element("label", { class: "gf-label", for: id("reflection") }, label));
    root.append(textarea, button);
    return { key, root, textarea, button };
  }

  return {
    slot,
    update() {
      const attempt = trait("reflection_for", 0);
      const saved = Boolean(trait("reflection_saved", false));
      const key = attempt > 0 ? `${attempt}:${saved}` : "";
      if (!key) {
        box = null;
      } else if (box?.key !== key && saved) {
        box = { key, root: element("p", { class: "gf-thanks" }, say("reflection.thanks")) };
      } else if (box?.key !== key) {
        box = emptyBox(key);
      }
      mount(slot, box?.root ?? null);
    },
    refresh() {
      if (box?.textarea && box.button) {
        box.button.disabled = card.busy() || box.textarea.value.trim() === "";
      }
    },
    /** @param {Element} lost */
    focusAfter: (lost) => (box?.textarea && box.root.contains(lost) ? box.textarea : null),
  };
}
