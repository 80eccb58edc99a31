// The teacher's dashboard: a sandboxed report and a Refresh button, driven by a fake model.

import assert from "node:assert/strict";
import { afterEach, mock, test } from "node:test";
import { JSDOM } from "jsdom";
import dashboard from "../dashboard.js";
import { fakeModel } from "../testing/fake-model.js";


const cleanups = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()();
  mock.timers.reset();
});

function show(traits) {
  const { window } = new JSDOM("<!doctype html><html><body></body></html>");
  globalThis.document = window.document;
  const el = window.document.createElement("div");
  window.document.body.append(el);
  const model = fakeModel({ html: "", status: "", every: 0, height: 720, seq: 0, ...traits });
  cleanups.push(dashboard.render({ model, el }));
  const frame = el.querySelector("iframe");
  const button = el.querySelector("button");
  return { el, model, frame, button };
}

test("the report is shown in a frame that may run no script", () => {
  const view = show({ html: "<h1>Class 7B</h1><script>alert(1)</script>" });
  assert.equal(view.frame.getAttribute("sandbox"), "");
  assert.equal(view.frame.srcdoc, "<h1>Class 7B</h1><script>alert(1)</script>");
  assert.equal(view.el.querySelector("script"), null);
});

test("Refresh asks the kernel once until the new report arrives", () => {
  const view = show({ html: "<p>old</p>" });
  view.button.click();
  view.button.click();
  assert.deepEqual(view.model.sent, [{ type: "refresh" }]);
  assert.equal(view.button.disabled, true);
  view.model.set("html", "<p>new</p>");
  view.model.set("status", "Updated 10:15:12.");
  assert.equal(view.button.disabled, false);
  assert.equal(view.frame.srcdoc, "<p>new</p>");
  assert.equal(view.el.querySelector("[role=status]").textContent, "Updated 10:15:12.");
});

test("a timer keeps a live class's report fresh, and stops with the view", () => {
  mock.timers.enable({ apis: ["setInterval"] });
  const view = show({ every: 30 });
  mock.timers.tick(30_000);
  assert.deepEqual(view.model.sent, [{ type: "refresh" }]);
  view.model.set("seq", 1);
  cleanups.pop()();
  mock.timers.tick(120_000);
  assert.equal(view.model.sent.length, 1);
});
