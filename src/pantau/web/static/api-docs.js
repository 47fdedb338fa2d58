// Starts Swagger UI on /api/docs from pantau's own copy (the CSP allows no CDN, no inline script).
"use strict";
window.addEventListener("DOMContentLoaded", () => {
  const root = document.getElementById("swagger-ui");
  window.SwaggerUIBundle({
    url: root.dataset.spec,
    dom_id: "#swagger-ui",
    deepLinking: true,
    // The default validator badge loads an image from swagger.io: off, nothing leaves the server.
    validatorUrl: null,
  });
});
