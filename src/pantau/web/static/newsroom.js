// Copy a release's address to the clipboard (the public newsroom's only script).
document.addEventListener("click", function (event) {
  var button = event.target.closest("#copy-link");
  if (!button || !navigator.clipboard) return;
  navigator.clipboard.writeText(button.dataset.url).then(function () {
    button.textContent = button.dataset.done;
  });
});
