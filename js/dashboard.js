// guessfirst teacher dashboard: the HTML report, shown in a sandboxed frame, and a Refresh button.
//
// The report is built in the kernel from the collected logs. The frame gets no scripts and no
// same-origin rights (`sandbox=""`), so text a student typed can never run here, whatever it holds.

const TEXT = { refresh: "Refresh", refreshing: "Refreshing…" };

function render({ model, el }) {
  const root = document.createElement("div");
  root.className = "guessfirst-dashboard";
  const bar = document.createElement("div");
  bar.className = "gfd-bar";
  const button = document.createElement("button");
  button.type = "button";
  button.className = "gfd-refresh";
  button.textContent = TEXT.refresh;
  const status = document.createElement("span");
  status.className = "gfd-status";
  status.setAttribute("role", "status");
  bar.append(button, status);
  const frame = document.createElement("iframe");
  frame.className = "gfd-frame";
  frame.setAttribute("sandbox", "");
  frame.setAttribute("title", "guessfirst report");
  root.append(bar, frame);

  let busy = false;
  let timer;
  const request = () => {
    if (busy) return;
    busy = true;
    button.disabled = true;
    button.textContent = TEXT.refreshing;
    model.send({ type: "refresh" });
  };

  const update = () => {
    busy = false;
    button.disabled = false;
    button.textContent = TEXT.refresh;
    status.textContent = model.get("status") ?? "";
    const html = model.get("html") ?? "";
    if (frame.srcdoc !== html) frame.srcdoc = html;
    frame.style.height = `${model.get("height") ?? 720}px`;
    clearInterval(timer);
    const every = model.get("every") ?? 0;
    if (every > 0) timer = setInterval(request, every * 1000);
  };

  button.addEventListener("click", request);
  for (const name of ["html", "status", "every", "height", "seq"]) model.on(`change:${name}`, update);
  update();
  el.append(root);
  return () => {
    clearInterval(timer);
    for (const name of ["html", "status", "every", "height", "seq"]) model.off(`change:${name}`, update);
  };
}

export default { render };
