// « Habiliter un utilisateur »: each enhancement has a server-side equivalent (the page works without it).
(function () {
  "use strict";

  // Live count of the selection: « 5 lieux d'implantation sélectionnés » (the server writes the first one).
  function updateCount(scope) {
    var count = scope.querySelector("[data-count]");
    if (!count) {
      return;
    }
    var n = scope.querySelectorAll('input[type="checkbox"]:checked').length;
    var text = n === 0 ? count.getAttribute("data-none") : n + " " + count.getAttribute(n === 1 ? "data-one" : "data-many");
    if (count.textContent !== text) {
      count.textContent = text;
    }
  }

  document.addEventListener("change", function (event) {
    var scope = event.target.closest(".portal-scope");
    if (scope && event.target.type === "checkbox") {
      updateCount(scope);
    }
  });

  // « Sélectionner tous… » ticks the boxes in the page instead of re-rendering it (the buttons still work
  // without JavaScript: they submit the form and the server ticks them).
  document.addEventListener("click", function (event) {
    var button = event.target.closest(".js-select-all");
    if (!button) {
      return;
    }
    var target = button.getAttribute("data-target");
    var scope = document.getElementById(target);
    var boxes = scope
      ? scope.querySelectorAll('input[type="checkbox"]')
      : document.querySelectorAll('input[type="checkbox"][name="' + target + '"]');
    if (!boxes.length) {
      return;
    }
    event.preventDefault();
    boxes.forEach(function (box) {
      box.checked = true;
    });
    var list = button.closest(".portal-scope");
    if (list) {
      updateCount(list);
    }
  });

  // The deck's hint once a criterion changes after the list was shown: the list no longer matches it.
  var form = document.querySelector("form[data-criteria]");
  var hint = document.querySelector("[data-criteria-hint]");
  if (form && hint) {
    var criteria = form.getAttribute("data-criteria").split(" ");
    var onChange = function (event) {
      if (criteria.indexOf(event.target.name) === -1 || hint.textContent) {
        return;
      }
      hint.className = "alert alert-warning py-2";
      hint.textContent = "Veuillez relancer une recherche pour prendre en compte les nouveaux critères.";
    };
    form.addEventListener("change", onChange);
    form.addEventListener("input", onChange);
  }
})();
