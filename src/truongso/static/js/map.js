// The map of institutions (units/map.html), drawn with Leaflet when scripts/fetch-assets
// installed it. Reads the GeoJSON of the page's filters and draws one circle per
// institution, coloured by level with the colours of the legend (css/map.css). Without a
// tile server the circles sit on a blank background. No inline script or style: the
// content-security policy forbids them.
(function () {
  "use strict";

  function colours() {
    var byKind = {};
    document.querySelectorAll(".map-legend [data-kind]").forEach(function (item) {
      var swatch = item.querySelector(".swatch");
      if (swatch) { byKind[item.dataset.kind] = getComputedStyle(swatch).backgroundColor; }
    });
    return byKind;
  }

  function text(tag, value, className) {
    var node = document.createElement(tag);
    node.textContent = value;
    if (className) { node.className = className; }
    return node;
  }

  // Built from DOM nodes, never from HTML strings: names come from the database.
  function popup(p) {
    var box = document.createElement("div");
    box.className = "map-popup";
    var link = text("a", p.name);
    link.href = p.url;
    box.appendChild(link);
    box.appendChild(text("p", p.kind_label + " · " + p.ownership_label));
    box.appendChild(text("p", p.code, "muted"));
    return box;
  }

  function escapeHtml(value) {
    var node = document.createElement("span");
    node.textContent = value;
    return node.innerHTML;
  }

  function start() {
    var el = document.getElementById("institution-map");
    if (!el || typeof window.L === "undefined") { return; }
    var L = window.L;
    var palette = colours();
    var map = L.map(el, { zoomSnap: 0.5 });
    map.attributionControl.setPrefix("Leaflet");
    if (el.dataset.tileUrl) {
      L.tileLayer(el.dataset.tileUrl, {
        maxZoom: 19,
        attribution: escapeHtml(el.dataset.tileAttribution || ""),
      }).addTo(map);
    }
    map.setView([16.0, 106.0], 5); // Viet Nam, until the points are known

    fetch(el.dataset.geojson, {
      credentials: "same-origin",
      headers: { Accept: "application/geo+json, application/json" },
    })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (data) {
        var layer = L.geoJSON(data, {
          pointToLayer: function (feature, latlng) {
            var kind = feature.properties.kind;
            return L.circleMarker(latlng, {
              radius: 7,
              color: "#ffffff",
              weight: 1.5,
              fillColor: palette[kind] || "#555555",
              fillOpacity: 0.9,
              className: "map-marker kind-" + kind,
            });
          },
          onEachFeature: function (feature, marker) {
            marker.bindPopup(popup(feature.properties));
            marker.bindTooltip(feature.properties.name);
          },
        }).addTo(map);
        if (data.features.length) {
          map.fitBounds(layer.getBounds(), { padding: [24, 24], maxZoom: 15 });
        }
        el.dataset.markers = String(data.features.length);
        el.classList.add("map-loaded");
      })
      .catch(function () {
        var message = text("p", el.dataset.error || "", "map-error");
        el.parentNode.insertBefore(message, el);
      });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
