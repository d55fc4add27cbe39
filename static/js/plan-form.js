// Filter the place list as the person types, in any of the three scripts.
(function () {
  var input = document.getElementById("place-filter");
  var list = document.getElementById("place-list");
  if (!input || !list) return;
  input.addEventListener("input", function () {
    var q = input.value.trim().toLowerCase();
    list.querySelectorAll("tr[data-names]").forEach(function (row) {
      row.hidden = q !== "" && row.getAttribute("data-names").indexOf(q) === -1;
    });
  });
})();

// Where the traveller sleeps: find an address (our own /api/v1/geocode), choose a candidate, or
// click the map. The chosen point goes into the city's "lat, lon" field, which the form submits.
(function () {
  var box = document.querySelector(".lodging-map");
  if (!box) return;
  var mapDiv = box.querySelector(".folium-map");
  var map = mapDiv && window[mapDiv.id];
  var markers = {};
  var datum = box.getAttribute("data-datum") || "wgs84";

  function message(name, values) {
    var text = box.getAttribute("data-msg-" + name) || "";
    Object.keys(values || {}).forEach(function (key) {
      text = text.split("{" + key + "}").join(values[key]);
    });
    return text;
  }

  function parsePoint(text) {
    var parts = text.replace(";", ",").split(",").map(function (p) { return p.trim(); })
      .filter(function (p) { return p !== ""; });
    if (parts.length !== 2) return null;
    var lat = Number(parts[0]), lon = Number(parts[1]);
    return isFinite(lat) && isFinite(lon) ? [lat, lon] : null;
  }

  function showMarker(row, point, centre) {
    if (!map) return;
    var city = row.getAttribute("data-city");
    if (markers[city]) { map.removeLayer(markers[city]); delete markers[city]; }
    if (!point) return;
    var label = row.getAttribute("data-city-label");
    markers[city] = L.marker(point, { title: label, alt: label, keyboard: false }).addTo(map);
    markers[city].getElement().classList.add("lodging-marker", "lodging-marker-" + city);
    if (centre) map.setView(point, Math.max(map.getZoom(), 14));
  }

  function setPoint(row, lat, lon, pointDatum) {
    row.querySelector(".lodging-point").value = lat.toFixed(6) + ", " + lon.toFixed(6);
    row.querySelector(".lodging-datum").value = pointDatum;
    showMarker(row, [lat, lon], true);
  }

  var rows = Array.prototype.slice.call(document.querySelectorAll(".lodging[data-city]"));
  rows.forEach(function (row) {
    var field = row.querySelector(".lodging-point");
    var start = parsePoint(field.value);
    if (start) showMarker(row, start, false);
    field.addEventListener("change", function () {
      row.querySelector(".lodging-datum").value = "wgs84";
      showMarker(row, parsePoint(field.value), true);
    });

    var button = row.querySelector(".find-address");
    var address = row.querySelector(".lodging-address");
    if (!button || !address) return;
    var status = row.querySelector(".lookup-status");
    var list = row.querySelector(".candidates");
    var city = row.getAttribute("data-city");

    function choose(candidate) {
      setPoint(row, candidate.lat, candidate.lon, "wgs84");
      status.textContent = message("chosen", { label: candidate.label });
      list.querySelectorAll("button").forEach(function (b) {
        b.setAttribute("aria-pressed", b.textContent === candidate.label ? "true" : "false");
      });
      var radio = box.querySelector("input[name=pick_city][value=" + city + "]");
      if (radio) radio.checked = true;
    }

    function find() {
      var q = address.value.trim();
      if (!q) return;
      list.textContent = "";
      status.textContent = message("searching");
      var url = box.getAttribute("data-lookup") + "?q=" + encodeURIComponent(q) +
        "&city=" + encodeURIComponent(city) + "&lang=" + encodeURIComponent(box.getAttribute("data-lang"));
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { return r.json().then(function (body) { return { ok: r.ok, body: body }; }); })
        .then(function (answer) {
          if (!answer.ok) throw new Error(answer.body.error || "lookup failed");
          var found = answer.body.candidates || [];
          status.textContent = found.length ? "" :
            message("none", { city: row.getAttribute("data-city-label") });
          found.forEach(function (candidate) {
            var item = document.createElement("li");
            var pick = document.createElement("button");
            pick.type = "button";
            pick.className = "candidate";
            pick.textContent = candidate.label;
            pick.addEventListener("click", function () { choose(candidate); });
            item.appendChild(pick);
            list.appendChild(item);
          });
          if (found.length === 1) choose(found[0]);
        })
        .catch(function () { status.textContent = message("failed"); });
    }

    button.addEventListener("click", find);
    address.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); find(); }  // not the whole form
    });
  });

  if (map) {
    map.on("click", function (event) {
      var checked = box.querySelector("input[name=pick_city]:checked");
      var row = checked && document.querySelector(".lodging[data-city=" + checked.value + "]");
      if (row) setPoint(row, event.latlng.lat, event.latlng.lng, datum);
    });
  }
})();
