// Plan editor: "Add ..." buttons add their row in the page instead of posting the form (which is what they
// do without JavaScript). A formset is a [data-rows-for=PREFIX] container, a <template data-template-for=PREFIX
// data-placeholder=...> holding one empty row, and the management form's PREFIX-TOTAL_FORMS counter.
"use strict";

document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-add-row]");
  if (!button) {
    return;
  }
  var prefix = button.getAttribute("data-add-row");
  var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
  var template = document.querySelector('template[data-template-for="' + prefix + '"]');
  var rows = document.querySelector('[data-rows-for="' + prefix + '"]');
  if (!total || !template || !rows) {
    return; // let the button post the form: the server adds the row
  }
  event.preventDefault();
  var index = parseInt(total.value, 10);
  var html = template.innerHTML.split(template.getAttribute("data-placeholder")).join(String(index));
  rows.insertAdjacentHTML("beforeend", html);
  total.value = String(index + 1);
  var added = rows.lastElementChild;
  var first = added && added.querySelector("input:not([type=hidden]):not([type=checkbox]), select");
  if (first) {
    first.focus();
  }
});
