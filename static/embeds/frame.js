// Inside an embed: tells the page around it how tall the embed is, so that the optional
// sizing script on that page (embed.js) can fit the iframe to it. Only the height leaves
// the frame; without that script nothing listens and the iframe keeps its own height.
(() => {
  const embed = document.querySelector("[data-embed]");
  if (window.parent === window || !embed) {
    return;
  }
  const report = () => {
    const height = Math.ceil(embed.getBoundingClientRect().bottom + window.scrollY);
    window.parent.postMessage({ type: "starkeregion:embed-height", height }, "*");
  };
  new ResizeObserver(report).observe(embed); // also fires once at the start
  window.addEventListener("load", report); // pictures have arrived
  // The sizing script asks again when it loaded after the embed had reported.
  window.addEventListener("message", (event) => {
    if (event.source === window.parent && event.data?.type === "starkeregion:embed-ask") {
      report();
    }
  });
})();
