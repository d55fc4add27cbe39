// Positions from the field (agency page): a click on the map, or the phone's location
// (navigator.geolocation), fills the form's latitude and longitude; the server checks and stores
// the point as a pending review. No inline handler (CSP); texts come from data- attributes in
// the page's language. A click counts as ±data-assumed m; geolocation sends its own accuracy.
(function () {
  var box = document.getElementById("field-position");
  if (!box) return;
  var lat = document.getElementById("field-lat");
  var lon = document.getElementById("field-lon");
  var method = document.getElementById("field-method");
  var accuracy = document.getElementById("field-accuracy");
  var status = document.getElementById("field-status");
  var locate = document.getElementById("field-locate");
  var div = box.querySelector(".folium-map");
  var map = div && window[div.id];
  var marker = null;

  function say(name, m) {
    var text = box.getAttribute("data-text-" + name) || "";
    status.textContent = text.replace("{m}", String(m));
  }
  function show(latitude, longitude, radius) {
    if (!map || !window.L) return;
    var here = [latitude, longitude];
    if (marker) map.removeLayer(marker);
    marker = L.layerGroup([
      L.circle(here, { radius: radius, color: "#1565c0", weight: 1, fillOpacity: 0.15 }),
      L.circleMarker(here, { radius: 6, color: "#1565c0", weight: 2, fillOpacity: 0.9 }),
    ]).addTo(map);
  }
  function put(latitude, longitude, how, radius) {
    lat.value = latitude.toFixed(6);
    lon.value = longitude.toFixed(6);
    method.value = how;
    accuracy.value = how === "geolocation" ? String(Math.ceil(radius)) : "";
    show(latitude, longitude, radius);
  }

  if (map) {
    map.on("click", function (event) {
      var assumed = Number(box.getAttribute("data-assumed")) || 50;
      put(event.latlng.lat, event.latlng.lng, "map", assumed);
      say("clicked", assumed);
    });
  }
  [lat, lon].forEach(function (input) {
    input.addEventListener("input", function () {
      method.value = "typed";
      accuracy.value = "";
    });
  });
  if (navigator.geolocation && locate) {
    locate.hidden = false;
    locate.addEventListener("click", function () {
      say("locating", "");
      navigator.geolocation.getCurrentPosition(
        function (found) {
          var c = found.coords;
          put(c.latitude, c.longitude, "geolocation", c.accuracy);
          if (map) map.setView([c.latitude, c.longitude], Math.max(map.getZoom(), 16));
          say("located", Math.ceil(c.accuracy));
        },
        function () {
          say("denied", "");
        },
        { enableHighAccuracy: true, timeout: 20000, maximumAge: 0 }
      );
    });
  }
})();
