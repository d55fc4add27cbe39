// The plan page's map and timeline together: the map opens on day 1 (planner/itinerary_map.py),
// the day buttons (and, on a wide screen, a day's heading scrolling into view) zoom it to that
// day, and tapping a stop row lights up its pin and opens its popup. Pins and checkpoints carry
// the classes day-<i> and stop-<i>-<n>. No inline handler (CSP); no text is inserted as HTML.
(function () {
  var div = document.querySelector(".plan-map .folium-map");
  var map = div && window[div.id];
  if (!map || !window.L || typeof map.eachLayer !== "function") return;

  function classesOf(layer) {
    var o = layer.options || {};
    var name = (o.icon && o.icon.options && o.icon.options.className) || o.className || "";
    return " " + name + " ";
  }

  function layersWith(pattern) {
    var out = [];
    map.eachLayer(function (layer) {
      if (typeof layer.getLatLng === "function" && pattern.test(classesOf(layer))) out.push(layer);
    });
    return out;
  }

  var buttons = document.querySelectorAll(".day-picker button[data-day]");
  var shown = "0"; // the map opens on day 1

  function showDay(day) {
    shown = String(day);
    var pattern = day === "all" ? /\sday-\d+\s/ : new RegExp("\\sday-" + day + "\\s");
    var points = layersWith(pattern).map(function (l) { return l.getLatLng(); });
    Array.prototype.forEach.call(buttons, function (b) {
      b.setAttribute("aria-pressed", b.getAttribute("data-day") === String(day) ? "true" : "false");
    });
    if (!points.length) return;
    if (points.length === 1) map.setView(points[0], 15);
    else map.fitBounds(L.latLngBounds(points), { padding: [30, 30], maxZoom: 16 });
  }

  Array.prototype.forEach.call(buttons, function (b) {
    b.addEventListener("click", function () { showDay(b.getAttribute("data-day")); });
  });

  function highlight(row, reveal) {
    var key = row.getAttribute("data-stop");
    var found = layersWith(new RegExp("\\sstop-" + key + "\\s"))[0];
    document.querySelectorAll(".stop-marker.is-current, li.visit.is-current").forEach(function (el) {
      el.classList.remove("is-current");
    });
    row.classList.add("is-current");
    if (!found) return;
    var day = key.split("-")[0];
    // the row's day on the map (its pins apart), unless the whole trip is shown and holds it
    if (shown !== day && !(shown === "all" && map.getBounds().contains(found.getLatLng()))) {
      showDay(day);
    }
    var icon = found.getElement && found.getElement();
    if (icon) icon.classList.add("is-current");
    if (typeof found.openPopup === "function") found.openPopup();
    if (reveal) {
      var box = div.getBoundingClientRect();
      if (box.bottom < 0 || box.top > window.innerHeight) {
        div.scrollIntoView({ behavior: "smooth", block: "center" });
      }
    }
  }

  document.querySelectorAll(".timeline li.visit[data-stop]").forEach(function (row) {
    row.addEventListener("click", function (event) {
      var target = event.target;
      // the row's own controls (edit forms, links, the driver card) do their own thing
      if (target.closest("form, a, select, input, .show-driver, details")) return;
      highlight(row, !!target.closest(".locate"));
    });
  });

  // A wide screen keeps the map beside the timeline: follow the day being read.
  if (window.IntersectionObserver && window.matchMedia("(min-width: 901px)").matches) {
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) showDay(entry.target.getAttribute("data-day"));
      });
    }, { rootMargin: "0px 0px -65% 0px" });
    var started = false;
    window.addEventListener("scroll", function () {
      if (started) return;
      started = true; // the first view stays on day 1 until the reader scrolls
      document.querySelectorAll(".timeline article.day[data-day] h2").forEach(function (h) {
        h.setAttribute("data-day", h.parentNode.getAttribute("data-day"));
        observer.observe(h);
      });
    }, { passive: true });
  }
})();
