/* starkeRegion: fits embedded listings to their height. Optional – an embed works in a
   plain iframe without it. Include it once on the page, from the region's own host:

     <script src="https://pm.starkeregion.digital/static/embeds/embed.js" async></script>

   It sizes every iframe marked data-starkeregion-embed, and believes only messages that
   come from that host and from one of those iframes. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.URL) {
    return;
  }
  var origin = new URL(script.src, window.location.href).origin;
  var MAX_HEIGHT = 10000;

  function embeds() {
    return document.querySelectorAll("iframe[data-starkeregion-embed]");
  }

  window.addEventListener("message", function (event) {
    var data = event.data;
    if (event.origin !== origin || !data || data.type !== "starkeregion:embed-height") {
      return;
    }
    var height = Math.ceil(Number(data.height));
    if (!(height > 0)) {
      return;
    }
    var frames = embeds();
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === event.source) {
        frames[i].style.height = Math.min(height, MAX_HEIGHT) + "px";
      }
    }
  });

  // Embeds that loaded before this script reported to nobody: ask them again.
  var frames = embeds();
  for (var i = 0; i < frames.length; i++) {
    if (frames[i].contentWindow) {
      // To any origin: the question carries nothing, and a frame still loading has none yet.
      frames[i].contentWindow.postMessage({ type: "starkeregion:embed-ask" }, "*");
    }
  }
})();
