// The progress page of every file import (templates/includes/_import_progress.html). Without JavaScript the
// user follows it with « Actualiser ». With it, the page asks its own address every few seconds and updates
// the counts in place; once the step is over (no progress block in the answer) it shows the new page: the
// preview, the result, or « Interrompu ». « Arrêter la mise à jour automatique » stops it, and resumes it.
(function () {
  "use strict";

  var block = document.querySelector("[data-import-progress]");
  if (!block) {
    return;
  }
  var seconds = Number(block.getAttribute("data-refresh")) || 3;
  var pause = block.querySelector("[data-import-pause]");
  var timer = null;
  var paused = false;
  var busy = false; // a request is on its way

  function update(fresh) {
    var bar = document.getElementById("import-progress-bar");
    var freshBar = fresh.querySelector("#import-progress-bar");
    if (bar && freshBar) {
      bar.max = freshBar.max;
      bar.value = freshBar.value;
      bar.textContent = freshBar.textContent;
    }
    var text = document.getElementById("import-progress-text");
    var freshText = fresh.querySelector("#import-progress-text");
    if (text && freshText && text.textContent !== freshText.textContent) {
      text.textContent = freshText.textContent;
    }
  }

  function poll() {
    timer = null;
    busy = true;
    fetch(window.location.href, { credentials: "same-origin", headers: { Accept: "text/html" } })
      .then(function (response) {
        return response.text();
      })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-import-progress]");
        if (!fresh) {
          window.location.reload(); // the step is over: the preview, the result, or « Interrompu »
          return;
        }
        update(fresh);
        schedule();
      })
      .catch(schedule);
  }

  function schedule() {
    busy = false;
    if (!paused) {
      timer = window.setTimeout(poll, seconds * 1000);
    }
  }

  pause.hidden = false;
  pause.addEventListener("click", function () {
    paused = !paused;
    pause.textContent = paused ? "Reprendre la mise à jour automatique" : "Arrêter la mise à jour automatique";
    if (paused && timer) {
      window.clearTimeout(timer);
      timer = null;
    } else if (!paused && !timer && !busy) {
      poll();
    }
  });
  schedule();
})();
