// The card's words in the student's language: Python sends the `card.*` part of the
// catalogue (src/guessfirst/locales) with each question. `{name}` takes a value.

/** @typedef {import("./types").Trait} Trait @typedef {import("./types").Say} Say */

/**
 * @param {Trait} trait
 * @returns {Say}
 */
export function speaker(trait) {
  return (key, values = {}) => {
    const template = trait("strings", /** @type {Record<string, string>} */ ({}))[`card.${key}`] ?? key;
    return template.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));
  };
}
