// The "Einbinden" page without reloading: the form works by submitting (GET); this asks the
// server for the snippet and preview of the new options as they change (the same address,
// with a header that asks for that part alone) and swaps them in, and copies the snippet.
// The server stays the one that writes snippets.
(() => {
  const form = document.querySelector("[data-embed-builder]");
  if (!form) {
    return;
  }

  const enableCopy = () => {
    const button = document.querySelector("[data-copy-snippet]");
    const snippet = document.getElementById("embed-snippet");
    const status = document.querySelector("[data-copy-status]");
    if (!button || !snippet) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", async () => {
      try {
        await navigator.clipboard.writeText(snippet.value);
      } catch {
        snippet.select();
        document.execCommand("copy");
      }
      status.textContent = button.dataset.copied;
    });
  };

  let controller = null;
  const refresh = async () => {
    const query = new URLSearchParams(new FormData(form)).toString();
    const address = `${form.getAttribute("action")}?${query}`;
    controller?.abort();
    controller = new AbortController();
    let response;
    try {
      response = await fetch(address, {
        signal: controller.signal,
        credentials: "same-origin",
        headers: { "X-Embed-Builder": "result" },
      });
    } catch (error) {
      if (error.name === "AbortError") {
        return;
      }
      throw error;
    }
    if (!response.ok) {
      return;
    }
    // Only the result's part: a whole page would bring a style with another nonce.
    const part = document.createElement("template");
    part.innerHTML = await response.text();
    const fresh = part.content.querySelector("[data-embed-result]");
    const current = document.querySelector("[data-embed-result]");
    if (fresh && current) {
      current.replaceWith(fresh);
      enableCopy();
      window.history.replaceState(null, "", address);
    }
  };

  let timer = null;
  const soon = () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(refresh, 300);
  };
  form.addEventListener("input", soon);
  form.addEventListener("change", soon);
  enableCopy();
})();
