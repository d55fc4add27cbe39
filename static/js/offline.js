// The plan on the phone without a connection, and a stop card for the driver.
//
// 1. Registers the service worker (/sw.js, static/js/sw.js) and shows "Save for offline". Saving
//    puts into the browser's cache: this page, the files it loads (styles, scripts, the images
//    its styles name), the pages and files its links mark with data-offline (print view with the
//    stop cards, the border page of each crossing, the exports) and the files those pages load.
//    In airplane mode the service worker answers from that cache; the map draws its own base
//    layer (river, border, towns) and the stops, so no tile is needed.
// 2. "Show to the driver": the stop's name and address in the city's own language, full screen,
//    as large as the screen allows (textContent only: nothing is inserted as HTML).
(function () {
  "use strict";
  var CACHE = "amur-plans-v1";
  var me = document.currentScript;

  // ---------------------------------------------------------------- the driver card
  function fit(box) {
    // Largest font (in steps) at which the card still fits the screen without scrolling.
    var size = 120;
    box.style.fontSize = size + "px";
    while (size > 14 && (box.scrollHeight > box.clientHeight || box.scrollWidth > box.clientWidth)) {
      size -= 4;
      box.style.fontSize = size + "px";
    }
  }

  function part(tag, cls, text, lang) {
    var el = document.createElement(tag);
    el.className = cls;
    el.textContent = text;
    if (lang) el.lang = lang;
    return el;
  }

  document.querySelectorAll(".show-driver").forEach(function (button) {
    button.addEventListener("click", function () {
      var row = button.closest("li.visit");
      var name = row.querySelector(".driver-name");
      var address = row.querySelector(".driver-address");
      var reader = row.querySelector(".stop-name");
      var dialog = document.createElement("dialog");
      dialog.className = "driver-view";
      var box = document.createElement("div");
      box.className = "driver-text";
      box.appendChild(part("div", "driver-view-name", name.textContent, name.lang));
      if (address) box.appendChild(part("div", "driver-view-address", address.textContent, address.lang));
      if (reader && reader.textContent !== name.textContent) {
        box.appendChild(part("div", "driver-view-other", reader.textContent, document.documentElement.lang));
      }
      var close = part("button", "driver-view-close", button.getAttribute("data-close") || "×");
      close.type = "button";
      close.addEventListener("click", function () { dialog.close(); });
      dialog.addEventListener("close", function () { dialog.remove(); button.focus(); });
      dialog.appendChild(box);
      dialog.appendChild(close);
      document.body.appendChild(dialog);
      dialog.showModal();
      fit(box);
      if (dialog.requestFullscreen && document.fullscreenEnabled) {
        dialog.requestFullscreen().then(function () { fit(box); }, function () {});
      }
    });
  });

  // ---------------------------------------------------------------- save for offline
  var block = document.querySelector(".offline-save");
  if (!block || !("serviceWorker" in navigator) || !window.caches || !me) return;
  navigator.serviceWorker.register(me.getAttribute("data-sw"), { scope: "/" }).catch(function () {});
  block.hidden = false;
  var status = block.querySelector(".offline-status");
  var button = block.querySelector(".save-offline");

  function sameOrigin(url) {
    try {
      var u = new URL(url, location.href);
      return u.origin === location.origin ? u.href.split("#")[0] : null;
    } catch (e) {
      return null;
    }
  }

  function loadsOf(doc, base) {
    // The files a page loads: styles, scripts, icons, the manifest, images.
    var out = [];
    doc.querySelectorAll("link[href], script[src], img[src]").forEach(function (el) {
      var rel = (el.getAttribute("rel") || "").toLowerCase();
      if (el.tagName === "LINK" && !/stylesheet|icon|manifest/.test(rel)) return;
      var url = sameOrigin(new URL(el.getAttribute("href") || el.getAttribute("src"), base).href);
      if (url) out.push(url);
    });
    return out;
  }

  function cssImages(text, base) {
    var out = [];
    var re = /url\(\s*['"]?([^'")]+)['"]?\s*\)/g;
    var m;
    while ((m = re.exec(text))) {
      if (m[1].indexOf("data:") === 0) continue;
      var url = sameOrigin(new URL(m[1], base).href);
      if (url) out.push(url);
      // Leaflet's default marker (the border page) finds its folder through this image, then
      // loads the retina icon and the shadow from script: no stylesheet names them.
      if (url && /\/marker-icon\.png$/.test(url)) {
        out.push(url.replace(/marker-icon\.png$/, "marker-icon-2x.png"));
        out.push(url.replace(/marker-icon\.png$/, "marker-shadow.png"));
      }
    }
    return out;
  }

  function save() {
    button.disabled = true;
    status.textContent = block.getAttribute("data-saving");
    var done = {};
    var failed = [];
    var names = {};
    document.querySelectorAll("a[data-offline]").forEach(function (a) {
      var url = sameOrigin(a.href);
      if (url) names[url] = a.textContent.trim();
    });
    return caches.open(CACHE).then(function (cache) {
      function keep(url) {
        if (!url || done[url]) return Promise.resolve();
        done[url] = true;
        return fetch(url, { credentials: "same-origin" }).then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          var type = response.headers.get("Content-Type") || "";
          var copy = response.clone();
          return cache.put(url, response).then(function () {
            if (type.indexOf("text/html") === 0) {
              return copy.text().then(function (text) {
                var doc = new DOMParser().parseFromString(text, "text/html");
                return Promise.all(loadsOf(doc, url).map(keep));
              });
            }
            if (type.indexOf("text/css") === 0) {
              return copy.text().then(function (text) { return Promise.all(cssImages(text, url).map(keep)); });
            }
            if (type.indexOf("manifest") >= 0) {
              return copy.json().then(function (m) {
                return Promise.all((m.icons || []).map(function (i) { return keep(sameOrigin(new URL(i.src, url).href)); }));
              });
            }
          });
        }).catch(function () {
          failed.push(names[url] || url);
        });
      }
      var urls = [location.href.split("#")[0]].concat(loadsOf(document, location.href), Object.keys(names));
      return Promise.all(urls.map(keep));
    }).then(function () {
      return navigator.serviceWorker.ready;
    }).then(function () {
      if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(function () {});
      status.textContent = failed.length
        ? block.getAttribute("data-partial").replace("%(files)s", failed.join(", "))
        : block.getAttribute("data-saved");
      block.setAttribute("data-state", failed.length ? "partial" : "saved");
    }, function () {
      status.textContent = block.getAttribute("data-failed");
      block.setAttribute("data-state", "failed");
    }).then(function () {
      button.disabled = false;
    });
  }

  button.addEventListener("click", save);
  // Saved before (this visit may be the offline one): say so; saving again refreshes it.
  caches.open(CACHE).then(function (cache) {
    return cache.match(location.href.split("#")[0]);
  }).then(function (hit) {
    if (hit && !block.hasAttribute("data-state")) {
      status.textContent = block.getAttribute("data-saved");
      block.setAttribute("data-state", "saved");
    }
  }).catch(function () {});
})();
