// Progressive help for the console; every page works without it.
(function () {
  "use strict";
  // Live reach count on the broadcast form.
  var form = document.querySelector("form[data-reach]");
  if (form) {
    var out = document.getElementById("reach-accounts");
    var refresh = function () {
      var params = new URLSearchParams();
      form.querySelectorAll("select[name^='f_']").forEach(function (select) {
        if (select.value) { params.set(select.name, select.value); }
      });
      fetch(form.getAttribute("data-reach") + "?" + params.toString(), {credentials: "same-origin"})
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) { if (data && out) { out.textContent = data.accounts; } });
    };
    form.querySelectorAll("select[name^='f_']").forEach(function (select) {
      select.addEventListener("change", refresh);
    });
  }
  // Characters left in a text area with a limit.
  document.querySelectorAll("textarea[maxlength]").forEach(function (area) {
    var left = document.getElementById(area.id + "-left");
    if (!left) { return; }
    var show = function () { left.textContent = area.maxLength - area.value.length; };
    area.addEventListener("input", show);
    show();
  });
  // Ask before a form that cannot be undone.
  document.querySelectorAll("[data-confirm]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      if (!window.confirm(button.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });
})();
