// Search-as-you-type for organisation fields (inputs with data-org-search): fills their <datalist> from the
// JSON search of this server. Options carry the organisation's id as value and its name as label; the form
// also accepts a typed name, so the page works without this script.
(function () {
  "use strict";
  function attach(input) {
    var list = document.getElementById(input.getAttribute("list"));
    var timer = null;
    var asked = "";
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var text = input.value.trim();
        if (text.length < 2 || text === asked) { return; }
        asked = text;
        fetch("/organisations?page_size=10&q=" + encodeURIComponent(text), { credentials: "same-origin" })
          .then(function (response) { return response.ok ? response.json() : { items: [] }; })
          .then(function (page) {
            if (text !== asked) { return; }
            list.replaceChildren();
            page.items.forEach(function (hit) {
              var option = document.createElement("option");
              option.value = hit.id;
              option.label = hit.name + (hit.city ? " (" + hit.city + ")" : "");
              option.textContent = option.label;
              list.appendChild(option);
            });
          })
          .catch(function () { /* search is a convenience; typing a name still works */ });
      }, 200);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("input[data-org-search]").forEach(attach);
  });
})();
