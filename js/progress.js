// guessfirst progress card: the student's own summary, and their log to download.
//
// The summary is HTML the kernel built from the student's own log, with every name escaped.
// The log file comes from the kernel as the bytes on disk, so the copy a student uploads is
// the file itself, hash chain and all.

/** The card's words in the student's language (the `card.progress.*` catalogue keys). */
function speaker(model) {
  return (key, values = {}) => {
    const template = (model.get("strings") ?? {})[`card.progress.${key}`] ?? key;
    return template.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));
  };
}

/** Hand the browser a file to save, as a download link clicked on the student's behalf. */
function save(doc, name, bytes) {
  const url = URL.createObjectURL(new Blob([bytes], { type: "application/x-ndjson" }));
  const link = Object.assign(doc.createElement("a"), { href: url, download: name });
  link.style.display = "none";
  doc.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

function render({ model, el }) {
  const doc = el.ownerDocument;
  const say = speaker(model);
  const root = doc.createElement("section");
  root.className = "guessfirst-progress";
  root.setAttribute("lang", model.get("lang") ?? "en");
  const summary = doc.createElement("div");
  summary.className = "gfp-summary";
  const actions = doc.createElement("div");
  actions.className = "gfp-actions";
  root.append(summary, actions);

  const onMessage = (message, buffers) => {
    if (message?.type !== "file" || !buffers?.length) return;
    save(doc, String(message.name), buffers[0]);
  };
  model.on("msg:custom", onMessage);

  const update = () => {
    const html = model.get("summary_html") ?? "";
    if (html) summary.innerHTML = html; // built and escaped by the kernel
    else summary.textContent = say("nothing");
    actions.replaceChildren(
      ...(model.get("downloads") ?? []).map((file, index) => {
        const button = doc.createElement("button");
        button.type = "button";
        button.className = "gfp-download";
        button.textContent = file.label;
        button.addEventListener("click", () => model.send({ type: "download", index }));
        return button;
      }),
    );
  };
  for (const name of ["summary_html", "downloads"]) model.on(`change:${name}`, update);
  update();
  el.append(root);
  return () => {
    model.off("msg:custom", onMessage);
    for (const name of ["summary_html", "downloads"]) model.off(`change:${name}`, update);
  };
}

export default { render };
