// The receipt page's "print this page" button (no inline script: the Content-Security-Policy forbids it).
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
