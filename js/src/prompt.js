// The question itself, as HTML Python rendered and sanitized.

import { element, setHtml } from "./dom.js";

/** @typedef {import("./types").Card} Card */

/**
 * @param {Card} card
 * @returns {{ root: HTMLElement, update(): void }}
 */
export function promptPart(card) {
  const root = element("div", { class: "gf-prompt", id: card.id("prompt") });
  return { root, update: () => setHtml(root, card.trait("prompt_html", "")) };
}
