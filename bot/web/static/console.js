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
        .then(function (data) { if (data && out) { out.textContent = data.shown; } });
    };
    form.querySelectorAll("select[name^='f_']").forEach(function (select) {
      select.addEventListener("change", refresh);
    });
  }
  // Characters left in a text area with a limit.
  document.querySelectorAll("textarea[maxlength]").forEach(function (area) {
    var left = document.getElementById(area.id + "-left");
    if (!left) { return; }
    var numbers = new Intl.NumberFormat(document.documentElement.lang === "vi" ? "vi-VN" : "en-US");
    var show = function () { left.textContent = numbers.format(area.maxLength - area.value.length); };
    area.addEventListener("input", show);
    show();
  });
  // A date typed in a text field: say back the date the bot understood.
  document.querySelectorAll("input[data-date]").forEach(function (input) {
    var said = document.getElementById(input.id + "-understood");
    if (!said) { return; }
    var timer = null;
    var ask = function () {
      var params = new URLSearchParams({typed: input.value, "default": input.getAttribute("data-date")});
      fetch("/web/dates?" + params.toString(), {credentials: "same-origin"})
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (data) {
          if (!data) { return; }
          said.textContent = data.shown || data.problem;
          said.classList.toggle("bad", !data.shown && !!data.problem);
        });
    };
    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(ask, 300); });
    if (input.value) { ask(); }
  });
  // A form sent back with a mistake: the field in question takes the focus.
  var wrong = document.querySelector("[data-focus]");
  if (wrong) { wrong.focus(); }
  // Ask before a form that cannot be undone.
  document.querySelectorAll("[data-confirm]").forEach(function (button) {
    button.addEventListener("click", function (event) {
      if (!window.confirm(button.getAttribute("data-confirm"))) { event.preventDefault(); }
    });
  });
})();
