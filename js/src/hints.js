// Hints, one at a time after an attempt that is not yet right.

import { element, setHtml } from "./dom.js";

/** @typedef {import("./types").Card} Card */

/** @param {Card} card */
export function hintsPart(card) {
  const { trait, say, id } = card;
  // Always in the page, so that a hint added to it is announced: a live region that
  // appears together with its content is not.
  const list = element("div", { class: "gf-hints", "aria-live": "polite" });
  const button = element("button", { type: "button", class: "gf-button gf-hint-button" });
  button.hidden = true;
  button.addEventListener("click", () => {
    if (!card.busy() && !button.hidden) card.send({ type: "hint" });
  });
  const actions = element("div", { class: "gf-actions" });
  actions.append(button);
  return {
    list,
    actions,
    /** Hints only grow for one student: new ones are appended, so only they are read out. */
    update() {
      const hints = trait("hints_html", /** @type {string[]} */ ([]));
      while (list.children.length > hints.length) list.lastElementChild?.remove();
      hints.forEach((html, index) => {
        let hint = list.children[index];
        if (!hint) {
          const title = id(`hint-${index + 1}`);
          hint = element("section", { class: "gf-hint", "aria-labelledby": title, tabindex: "-1" });
          const heading = say("hint.title", { number: index + 1 });
          hint.append(element("h3", { class: "gf-label", id: title }, heading));
          hint.append(element("div", { class: "gf-hint-body" }));
          list.append(hint);
        }
        setHtml(/** @type {Element} */ (hint.lastElementChild), html);
      });
      const left = trait("hints_left", 0);
      button.hidden = !(left > 0 && trait("status", "open") === "wrong");
      const total = hints.length + left;
      button.textContent = say("hint.show", { next: hints.length + 1, total });
    },
    /**
     * The last hint was just opened and its button went: the student reads on from it.
     * @param {Element} lost
     */
    focusAfter(lost) {
      const newest = /** @type {HTMLElement | null} */ (list.lastElementChild);
      return lost === button && newest ? newest : null;
    },
  };
}
