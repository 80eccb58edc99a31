// The card's parts, each made by its module, in their fixed places on the card.

import { answerPart } from "./answer.js";
import { confidencePart } from "./confidence.js";
import { element } from "./dom.js";
import { examplePart } from "./example.js";
import { feedbackPart } from "./feedback.js";
import { hintsPart } from "./hints.js";
import { noticePart, schoolPart } from "./notices.js";
import { promptPart } from "./prompt.js";
import { quizPart } from "./quiz.js";
import { reflectionPart } from "./reflection.js";
import { identifyPart, whoPart } from "./student.js";
import { welcomePart } from "./welcome.js";

/** @typedef {import("./types").Card} Card */

/**
 * Every part of the card, made and put in their fixed places under `root`.
 * @param {Card} card
 */
export function layout(card) {
  const confidence = confidencePart(card, () => Boolean(answer.control()?.tellsConfidence));
  const answer = answerPart(card, confidence.root);
  const feedback = feedbackPart(card);
  const parts = {
    notice: noticePart(card),
    welcome: welcomePart(card),
    identify: identifyPart(card),
    prompt: promptPart(card),
    answer,
    confidence,
    feedback,
    quiz: quizPart(card),
    hints: hintsPart(card),
    example: examplePart(card, feedback.feedback),
    reflection: reflectionPart(card),
    who: whoPart(card),
    school: schoolPart(card),
  };
  const p = parts;
  // Notebook shortcuts are kept out by the card's keydown handler, not by Lumino's
  // data-lm-suppress-shortcuts: that attribute would also block Shift+Enter (run cell).
  const root = element("div", { class: "guessfirst" });
  // Screen readers pick their voice, and <q> its quotation marks, from the language.
  root.setAttribute("lang", card.trait("lang", "en"));
  root.append(p.notice.slot, p.welcome.slot, p.identify.slot, p.prompt.root, answer.slot);
  root.append(card.inputError);
  root.append(confidence.root, answer.actions, feedback.feedback, feedback.outcome, p.quiz.slot);
  root.append(p.hints.list, p.hints.actions, p.example.slot, p.reflection.slot, p.who.slot);
  root.append(p.school.root);
  return { root, ...parts };
}
