// The shapes the card's modules share. Types only: nothing here is bundled.

/** AnyWidget's model as the card uses it: it reads traits and sends requests, never sets. */
export interface Model {
  get(name: string): unknown;
  on(event: string, callback: () => void): void;
  off(event: string, callback: () => void): void;
  send(content: object): void;
}

/** A trait as Python last wrote it, or `fallback` when it is not there. */
export interface Trait {
  (name: string, fallback: string): string;
  (name: string, fallback: number): number;
  (name: string, fallback: boolean): boolean;
  <T>(name: string, fallback: T): T;
}

/** The card's words in the student's language; `{name}` in a text takes a value. */
export type Say = (key: string, values?: Record<string, string | number>) => string;

/** An element id unique to this view, from the name of a part of the card. */
export type Ids = (part: string) => string;

/** A field the student answers in. */
export type Field = HTMLInputElement | HTMLTextAreaElement;

/** One answer: the element that holds it, its fields, and the answer as Python takes it. */
export interface Control {
  root: HTMLElement;
  inputs: Field[];
  value(): string | string[];
}

/** What a part of the card sees of the whole. */
export interface Card {
  trait: Trait;
  say: Say;
  id: Ids;
  /**
   * Send a request to Python; the card is busy until it answers (or for a few seconds),
   * unless `busy` is false: a message that asks for no reply.
   */
  send(message: Record<string, unknown>, options?: { busy?: boolean }): void;
  busy(): boolean;
  /** A finished question, or one waiting for the student's name, takes no answer. */
  locked(): boolean;
  /** The confidence picked on the scale, as its place on it, or null. */
  confidence(): number | null;
  /** Enable or disable the card's buttons for what is typed and whether it is busy. */
  refresh(): void;
  /** Where the card says why an answer could not be read. */
  inputError: HTMLElement;
  /** The last answer Python sent that the card showed in its field (see fields.js). */
  shown: { response: string };
}

/** A part of the card that redraws from traits: each method is optional but `update`. */
export interface Part {
  update(): void;
  /** Enable or disable its buttons. */
  refresh?(): void;
  /** Where focus goes when it was on `lost`, inside this part, and `lost` went or was disabled. */
  focusAfter?(lost: Element): HTMLElement | null;
  /** Handle a plain Enter on `target`; true when it was this part's. */
  enter?(target: EventTarget): boolean;
  /** Handle any other key pressed in the card (an order's Alt+arrows); true when handled. */
  key?(event: KeyboardEvent): boolean;
}

/** An answer control as drawn in the card. */
export interface Answer extends Control, Part {
  /** Whether the card's Submit button sends `value()` (a question in parts has its own). */
  submits: boolean;
  /** Answered in a notebook cell: Python hears the confidence as soon as it is picked. */
  tellsConfidence?: boolean;
}

/**
 * A module in controls/: the trait `control` names it by its file name. What Python tells
 * a control of its question beyond the common traits is in the trait `control_options`
 * (`card.trait("control_options", {})`); the card draws the control again when it changes.
 */
export interface ControlKind {
  /** What the control is drawn from: when it changes, the control is drawn again. */
  shape(card: Card): string;
  draw(card: Card): Answer;
}
