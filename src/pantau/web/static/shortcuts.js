// Keyboard shortcuts for people who live in the dashboard: "/" search, "g i" issues,
// "g o" overview, "g s" search page, "g n" notifications, "?" this list. Never while typing.
"use strict";
(() => {
  const GO = { i: "/issues", o: "/", s: "/search", n: "/notifications", r: "/reports" };
  let pending = null; // "g" waits this long for its second key
  const typing = (el) =>
    el && (el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName));
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey || typing(event.target)) return;
    const help = document.getElementById("shortcut-help");
    if (pending !== null) {
      clearTimeout(pending);
      pending = null;
      if (GO[event.key]) {
        event.preventDefault();
        window.location.assign(GO[event.key]);
      }
      return;
    }
    if (event.key === "g") {
      pending = setTimeout(() => { pending = null; }, 1500);
    } else if (event.key === "/") {
      event.preventDefault();
      const box = document.querySelector("input[type=search][name=q]");
      if (box) box.focus(); else window.location.assign("/search");
    } else if (event.key === "?" && help) {
      event.preventDefault();
      if (help.open) help.close(); else help.showModal();
    }
  });
})();
