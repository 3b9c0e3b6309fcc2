// samverkan's few lines of script. Every page works without them; they only help.
// 1. The session warning (WCAG 2.2.1): before the session ends for inactivity, say so and let the
//    user extend it with one action, without leaving the page or losing what was typed.
// 2. The personal number is checked as it is typed (the server checks it again when sent).
(function () {
  "use strict";

  function sessionWarning() {
    var body = document.body;
    var seconds = parseInt(body.getAttribute("data-session-seconds") || "", 10);
    var box = document.getElementById("session-warning");
    var form = document.getElementById("session-extend");
    if (!box || !form || !(seconds > 0)) return;
    var lead = Math.min(120, Math.floor(seconds / 2));
    var warnTimer, endTimer;
    function schedule(left) {
      clearTimeout(warnTimer);
      clearTimeout(endTimer);
      warnTimer = setTimeout(show, Math.max(0, left - lead) * 1000);
      endTimer = setTimeout(ended, left * 1000);
    }
    function show() {
      var time = document.getElementById("session-warning-time");
      if (time) time.textContent = lead >= 60 ? Math.round(lead / 60) + " minuter" : lead + " sekunder";
      box.hidden = false;
      form.querySelector("button").focus();
    }
    function ended() {
      var heading = document.getElementById("session-warning-heading");
      var text = document.getElementById("session-warning-text");
      heading.textContent = "Du är utloggad";
      text.textContent = "Du loggades ut av säkerhetsskäl. Det du har skrivit finns kvar: när du skickar formuläret får du logga in igen, och sedan visas det du skrev.";
      form.hidden = true;
      box.hidden = false;
      var close = document.getElementById("session-close");
      close.hidden = false;
      close.addEventListener("click", function () { box.hidden = true; });
      close.focus();
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var token = form.querySelector("input[name=csrf]").value;
      fetch(form.action, {method: "POST", credentials: "same-origin",
        headers: {"X-CSRF-Token": token, "Accept": "application/json"}})
        .then(function (res) { return res.ok ? res.json() : Promise.reject(res.status); })
        .then(function (answer) {
          box.hidden = true;
          schedule(answer.seconds);
        })
        .catch(function () { form.submit(); });
    });
    schedule(seconds);
  }

  // Luhn over the last ten digits, as Skatteverket's check digit.
  function personalNumberProblem(value) {
    var s = value.replace(/\s/g, "");
    if (s === "") return "";
    if (!/^[0-9+-]+$/.test(s)) return "Personnumret får bara innehålla siffror och ett bindestreck eller plustecken";
    var digits = s.replace(/[-+]/g, "");
    if (digits.length !== 10 && digits.length !== 12) return "Personnumret ska ha 10 eller 12 siffror, till exempel 20120315-9817";
    var ten = digits.slice(-10), sum = 0;
    for (var i = 0; i < 10; i++) {
      var d = parseInt(ten.charAt(i), 10) * (i % 2 === 0 ? 2 : 1);
      sum += d > 9 ? d - 9 : d;
    }
    return sum % 10 === 0 ? "" : "Personnumrets kontrollsiffra stämmer inte – kontrollera siffrorna";
  }

  function personalNumberCheck() {
    var input = document.getElementById("child-pnr");
    var out = document.getElementById("child-pnr-live");
    if (!input || !out) return;
    input.addEventListener("blur", function () { out.textContent = personalNumberProblem(input.value); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    sessionWarning();
    personalNumberCheck();
  });
})();
