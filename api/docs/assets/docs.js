// Turns the server-rendered docs page into Swagger UI (vendored, see web/static/vendor/VERSIONS.md)
// once its script has loaded: the plain page stays for a reader without script. A file of its own,
// not inline, so the page's Content-Security-Policy needs no 'unsafe-inline' for scripts.
(function () {
  "use strict";
  if (typeof window.SwaggerUIBundle !== "function") {
    return; // the bundle did not load: keep the plain page
  }
  var plain = document.getElementById("plain-style");
  window.ui = window.SwaggerUIBundle({
    url: "/api/v1/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    // "Try it out" sends requests to this server (the document's paths are absolute, so the page's
    // own origin); the bearer token is given with "Authorize" and kept only in this page.
    tryItOutEnabled: false,
    persistAuthorization: false,
    validatorUrl: null,
    displayRequestDuration: true,
    defaultModelsExpandDepth: 0,
    onComplete: function () {
      if (plain) {
        plain.remove(); // the plain page's styles would narrow Swagger UI's layout
      }
    },
  });
})();
