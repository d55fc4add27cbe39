// A full-screen control for every map: a button in the map's corner puts the map's frame in full
// screen with the Fullscreen API (Escape, or the button again, leaves). Labels come from the
// frame's data-fs-enter / data-fs-exit, in the page's language. No inline handler (CSP).
(function () {
  if (!document.fullscreenEnabled || !window.L) return;
  var frames = document.querySelectorAll(".map-frame");
  Array.prototype.forEach.call(frames, function (frame) {
    var div = frame.querySelector(".folium-map");
    var map = div && window[div.id];
    if (!map || typeof map.addControl !== "function") return;
    var enter = frame.getAttribute("data-fs-enter") || "Full screen";
    var leave = frame.getAttribute("data-fs-exit") || "Leave full screen";
    var Control = L.Control.extend({
      options: { position: "topleft" },
      onAdd: function () {
        var bar = L.DomUtil.create("div", "leaflet-bar leaflet-control map-fullscreen");
        var button = L.DomUtil.create("button", "map-fullscreen-button", bar);
        button.type = "button";
        function label() {
          var on = document.fullscreenElement === frame;
          button.title = on ? leave : enter;
          button.setAttribute("aria-label", button.title);
          button.setAttribute("aria-pressed", on ? "true" : "false");
          frame.classList.toggle("is-fullscreen", on);
        }
        label();
        L.DomEvent.disableClickPropagation(bar);
        L.DomEvent.on(button, "click", function (event) {
          L.DomEvent.preventDefault(event);
          if (document.fullscreenElement === frame) {
            document.exitFullscreen();
          } else {
            frame.requestFullscreen().catch(function () { /* refused: stay as we are */ });
          }
        });
        document.addEventListener("fullscreenchange", function () {
          label();
          map.invalidateSize();
        });
        return bar;
      },
    });
    map.addControl(new Control());
  });
})();
