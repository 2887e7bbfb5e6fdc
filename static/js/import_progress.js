// « Importer des utilisateurs », progress page: with JavaScript the page is not reloaded (the meta refresh
// sits in <noscript>); it asks the same address every few seconds and updates the progress in place, then
// shows the preview or the result once the step is over. Without JavaScript, the meta refresh does it.
(function () {
  "use strict";

  var progress = document.getElementById("import-progress");
  if (!progress) {
    return;
  }
  var seconds = Number(progress.getAttribute("data-refresh")) || 2;
  var percent = document.getElementById("import-percent");

  function poll() {
    fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("import-progress");
        if (!fresh) {
          window.location.reload(); // the step is over: the preview or the result
          return;
        }
        progress.value = fresh.value;
        progress.textContent = fresh.textContent;
        percent.textContent = fresh.value + " %";
        window.setTimeout(poll, seconds * 1000);
      })
      .catch(function () {
        window.setTimeout(poll, seconds * 1000);
      });
  }
  window.setTimeout(poll, seconds * 1000);
})();
