// The card's words as Python sends them: the `card.*` part of a language's catalogue.

import { readFileSync } from "node:fs";

export function cardStrings(lang) {
  const file = new URL(`../../src/guessfirst/locales/${lang}.json`, import.meta.url);
  const catalogue = JSON.parse(readFileSync(file, "utf8"));
  return Object.fromEntries(Object.entries(catalogue).filter(([key]) => key.startsWith("card.")));
}
