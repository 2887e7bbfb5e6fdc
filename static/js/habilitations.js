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
});
