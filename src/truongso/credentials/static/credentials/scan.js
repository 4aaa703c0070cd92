// Verification page: read the QR code with the device's camera, put its text in the QR
// field and submit the form; the server verifies it exactly as pasted text.
//
// Shown only where it can work: a secure page (HTTPS or localhost) with
// navigator.mediaDevices.getUserMedia, and a decoder, the browser's BarcodeDetector or
// jsQR (fetched by scripts/fetch-assets; its address is in data-decoder, empty when it
// was not fetched). Every text comes from the template's data- attributes (translated
// there). Nothing is sent anywhere but the form: frames are decoded in the page.
(function () {
  "use strict";

  var SCAN_INTERVAL_MS = 120;  // between two decoding attempts
  var MAX_SIDE = 800;          // frames are scaled down to this for jsQR

  function cameraPossible() {
    return window.isSecureContext === true && !!navigator.mediaDevices &&
      typeof navigator.mediaDevices.getUserMedia === "function";
  }

  // A decoder: a function (video, canvas) -> Promise of the text read, or null.
  function nativeDecoder() {
    if (!("BarcodeDetector" in window)) { return Promise.resolve(null); }
    var formats = window.BarcodeDetector.getSupportedFormats
      ? window.BarcodeDetector.getSupportedFormats() : Promise.resolve(["qr_code"]);
    return formats.then(function (list) {
      if (list.indexOf("qr_code") < 0) { return null; }
      var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
      return function (video) {
        return detector.detect(video).then(function (codes) {
          return codes.length ? codes[0].rawValue : null;
        });
      };
    }).catch(function () { return null; });
  }

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  function libraryDecoder(src) {
    var ready = window.jsQR ? Promise.resolve() : loadScript(src);
    return ready.then(function () {
      if (typeof window.jsQR !== "function") { throw new Error("jsQR"); }
      return function (video, canvas) {
        var width = video.videoWidth, height = video.videoHeight;
        if (!width || !height) { return Promise.resolve(null); }
        var scale = Math.min(1, MAX_SIDE / Math.max(width, height));
        canvas.width = Math.round(width * scale);
        canvas.height = Math.round(height * scale);
        var context = canvas.getContext("2d", { willReadFrequently: true });
        context.drawImage(video, 0, 0, canvas.width, canvas.height);
        var image = context.getImageData(0, 0, canvas.width, canvas.height);
        var code = window.jsQR(image.data, image.width, image.height,
          { inversionAttempts: "dontInvert" });
        return Promise.resolve(code && code.data ? code.data : null);
      };
    });
  }

  function setUp(root) {
    var section = root.closest("section") || document;
    var field = section.querySelector("textarea[name=qr]");
    if (!field || !field.form || !cameraPossible()) { return; }
    var librarySrc = root.getAttribute("data-decoder") || "";
    var start = root.querySelector("[data-scan-start]");
    var stop = root.querySelector("[data-scan-stop]");
    var video = root.querySelector("video");
    var status = root.querySelector("[data-scan-status]");
    var canvas = document.createElement("canvas");
    var stream = null, timer = null, decode = null, running = false;

    function say(key) {
      status.textContent = key ? root.getAttribute("data-text-" + key) || "" : "";
    }

    function halt() {
      running = false;
      if (timer !== null) { window.clearTimeout(timer); timer = null; }
      if (stream) {
        stream.getTracks().forEach(function (track) { track.stop(); });
        stream = null;
      }
      video.pause();
      video.srcObject = null;
      video.hidden = true;
      stop.hidden = true;
      start.hidden = false;
    }

    function found(text) {
      halt();
      say("found");
      field.value = text;
      if (typeof field.form.requestSubmit === "function") {
        field.form.requestSubmit();
      } else {
        field.form.submit();
      }
    }

    function tick() {
      timer = null;
      if (!running) { return; }
      decode(video, canvas).then(function (text) {
        if (!running) { return; }
        if (text) { found(text); return; }
        timer = window.setTimeout(tick, SCAN_INTERVAL_MS);
      }, function () {
        if (running) { timer = window.setTimeout(tick, SCAN_INTERVAL_MS); }
      });
    }

    function failed(error) {
      halt();
      var name = error && error.name;
      if (name === "NotAllowedError" || name === "SecurityError" ||
          name === "PermissionDeniedError") {
        say("denied");
      } else if (name === "NotFoundError" || name === "OverconstrainedError" ||
                 name === "NotReadableError" || name === "DevicesNotFoundError") {
        say("missing");
      } else {
        say("failed");
      }
    }

    function begin() {
      start.hidden = true;
      say("starting");
      var decoderReady = decode ? Promise.resolve(decode) : nativeDecoder().then(function (d) {
        return d || libraryDecoder(librarySrc);
      });
      decoderReady.then(function (d) {
        decode = d;
        return navigator.mediaDevices.getUserMedia({
          audio: false, video: { facingMode: { ideal: "environment" } }
        });
      }).then(function (media) {
        stream = media;
        video.srcObject = media;
        video.hidden = false;
        stop.hidden = false;
        running = true;
        return video.play();
      }).then(function () {
        say("looking");
        tick();
      }).catch(failed);
    }

    function available() {
      root.hidden = false;
      start.addEventListener("click", begin);
      stop.addEventListener("click", function () { halt(); say(""); });
      // Leaving the page (or going back to it from the cache) leaves no camera on.
      window.addEventListener("pagehide", halt);
    }

    nativeDecoder().then(function (d) {
      if (d) { decode = d; available(); } else if (librarySrc) { available(); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-qr-scan]").forEach(setUp);
  });
})();
