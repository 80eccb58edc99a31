// The loader anywidget imports for every question: the card's script runs once per page.

import assert from "node:assert/strict";
import { afterEach, mock, test } from "node:test";
import loader from "../loader.js";
import { fakeModel } from "../testing/fake-model.js";

/** A card script that counts how often it is evaluated and how often it renders. */
const SCRIPT = `
globalThis.evaluations = (globalThis.evaluations ?? 0) + 1;
export default { render({ el }) { el.rendered = (el.rendered ?? 0) + 1; return () => {}; } };
`;

afterEach(() => {
  mock.restoreAll();
  delete globalThis[Symbol.for("guessfirst.cards")];
  delete globalThis.evaluations;
});

/** Node imports data: URLs, not blob: URLs: hand the loader a data: URL of the script. */
function urlsFor(script) {
  const made = [];
  mock.method(URL, "createObjectURL", () => {
    made.push(script);
    return `data:text/javascript,${encodeURIComponent(script)}`;
  });
  mock.method(URL, "revokeObjectURL", () => {});
  return made;
}

test("ten questions evaluate the card's script once, and each renders", async () => {
  const made = urlsFor(SCRIPT);
  const views = Array.from({ length: 10 }, () => ({}));
  for (const el of views) {
    const model = fakeModel({ script: SCRIPT, script_version: "v1" });
    const cleanup = await loader.render({ model, el });
    assert.equal(typeof cleanup, "function");
  }
  assert.equal(made.length, 1);
  assert.equal(globalThis.evaluations, 1);
  assert.ok(views.every((el) => el.rendered === 1));
});

test("a new version of the script, after an upgrade, is evaluated afresh", async () => {
  // Scripts of their own: Node keeps a module per URL, and the first test ran SCRIPT's.
  const older = `${SCRIPT}\n// v1`;
  const newer = `${SCRIPT}\n// v2`;
  urlsFor(older);
  await loader.render({ model: fakeModel({ script: older, script_version: "v1" }), el: {} });
  const made = urlsFor(newer);
  await loader.render({ model: fakeModel({ script: newer, script_version: "v2" }), el: {} });
  assert.deepEqual(made, [newer]);
  assert.equal(globalThis.evaluations, 2);
});
