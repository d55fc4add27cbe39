// The service worker (served at /sw.js by planner/web/offline.py, scope "/"). It keeps nothing on
// its own: "Save for offline" on a plan page (static/js/offline.js) puts the plan's page, print
// view, border pages, exports and the files they load into the cache below. Every same-origin GET
// goes to the network first; when the network fails (airplane mode, no signal across the river)
// the saved copy answers. A saved copy is refreshed whenever the network answers. Requests to
// other origins (map tiles) are left alone: they fail offline, and the map's own base layer shows.
"use strict";

var CACHE = "amur-plans-v1";

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(
        names.filter(function (n) { return n.indexOf("amur-plans-") === 0 && n !== CACHE; })
          .map(function (n) { return caches.delete(n); })
      );
    }).then(function () { return self.clients.claim(); })
  );
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  if (new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(
    fetch(request).then(function (response) {
      if (response.ok && response.type === "basic") {
        var copy = response.clone();
        caches.open(CACHE).then(function (cache) {
          return cache.match(request, { ignoreVary: true }).then(function (saved) {
            if (saved) return cache.put(request, copy);
          });
        });
      }
      return response;
    }).catch(function () {
      return caches.open(CACHE).then(function (cache) {
        return cache.match(request, { ignoreVary: true });
      }).then(function (saved) {
        return saved || Response.error();
      });
    })
  );
});
