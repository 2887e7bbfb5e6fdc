// Enhancements of every page; each works without this script (the server does the rest).
// - « Menu »: on a phone the menu folds behind a button instead of filling the screen before the content.
// - Idle sign-out: the server signs out after SESSION_IDLE_TIMEOUT without a request; this warns
//   SESSION_IDLE_WARNING seconds before (« Rester connecté »), counts typing in a form as activity (a
//   throttled keep-alive), and at the limit signs out itself, so the sign-in page leads back here (`next`).
// - Drafts: what was typed in a form and not saved when the session ended is kept in this tab's
//   sessionStorage and put back in the form once signed in again.
(function () {
  "use strict";

  function setUpMenu() {
    var toggle = document.querySelector("[data-menu-toggle]");
    if (!toggle) {
      return;
    }
    var menu = document.getElementById(toggle.getAttribute("aria-controls"));
    function setOpen(open) {
      toggle.setAttribute("aria-expanded", String(open));
      menu.classList.toggle("is-collapsed", !open);
    }
    toggle.hidden = false;
    setOpen(false);
    toggle.addEventListener("click", function () {
      setOpen(toggle.getAttribute("aria-expanded") !== "true");
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && toggle.getAttribute("aria-expanded") === "true" && menu.contains(document.activeElement)) {
        setOpen(false);
        toggle.focus();
      }
    });
  }

  // ----- Drafts -----------------------------------------------------------------------------------------
  var DRAFTS = "portal:drafts";

  function loadDrafts() {
    try {
      return JSON.parse(sessionStorage.getItem(DRAFTS) || "{}");
    } catch (error) {
      return {};
    }
  }

  function storeDrafts(drafts) {
    try {
      sessionStorage.setItem(DRAFTS, JSON.stringify(drafts));
    } catch (error) {
      // Storage full or refused: the draft is lost, as without JavaScript.
    }
  }

  function draftForms() {
    return Array.prototype.filter.call(document.querySelectorAll("form"), function (form) {
      return (form.getAttribute("method") || "").toLowerCase() === "post" && !form.hasAttribute("data-no-draft");
    });
  }

  function formKey(form) {
    return location.pathname + "|" + (form.getAttribute("action") || "") + "|" + draftForms().indexOf(form);
  }

  function draftFields(form) {
    return Array.prototype.filter.call(form.elements, function (field) {
      var type = field.type;
      if (!field.name || field.name === "csrfmiddlewaretoken" || /^(password|file|submit|button|reset)$/.test(type)) {
        return false;
      }
      // A hidden field is kept only when asked (the version a declaration part was typed from: restoring it
      // makes a save over someone else's a refused conflict, never a silent overwrite).
      return type !== "hidden" || Boolean(field.closest("[data-draft-keep]"));
    });
  }

  function readForm(form) {
    return draftFields(form).map(function (field) {
      if (field.type === "checkbox" || field.type === "radio") {
        return { n: field.name, v: field.value, c: field.checked };
      }
      if (field.type === "select-multiple") {
        return { n: field.name, m: Array.prototype.map.call(field.selectedOptions, function (o) { return o.value; }) };
      }
      return { n: field.name, v: field.value };
    });
  }

  function fillForm(form, saved) {
    draftFields(form).forEach(function (field, index) {
      var item = saved[index];
      if (!item || item.n !== field.name) {
        return;
      }
      if ("c" in item) {
        if (item.v === field.value) {
          field.checked = item.c;
        }
      } else if (item.m) {
        Array.prototype.forEach.call(field.options, function (option) {
          option.selected = item.m.indexOf(option.value) !== -1;
        });
      } else {
        field.value = item.v;
      }
      field.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  function keepDraft(form, state, drafts) {
    drafts[formKey(form)] = { state: state, fields: readForm(form) };
  }

  function keepTypedDrafts(state) {
    var drafts = loadDrafts();
    draftForms().forEach(function (form) {
      if (form.dataset.typed) {
        keepDraft(form, state, drafts);
      }
    });
    storeDrafts(drafts);
  }

  function restoreDrafts() {
    var drafts = loadDrafts();
    var signInPage = Boolean(document.querySelector("form[data-sign-in]"));
    Object.keys(drafts).forEach(function (key) {
      if (drafts[key].state === "sent") {
        // A form sent and answered by the sign-in page: the session had ended on the server first.
        if (signInPage) {
          drafts[key].state = "interrupted";
        } else {
          delete drafts[key];
        }
      }
    });
    if (!signInPage) {
      draftForms().forEach(function (form) {
        var key = formKey(form);
        if (drafts[key] && drafts[key].state === "interrupted") {
          fillForm(form, drafts[key].fields);
          form.dataset.typed = "1";
          delete drafts[key];
          var notice = document.createElement("div");
          notice.className = "alert alert-info";
          notice.setAttribute("role", "status");
          notice.textContent = "Votre saisie non enregistrée au moment de la déconnexion a été rétablie : vérifiez-la puis enregistrez-la.";
          form.parentNode.insertBefore(notice, form);
        }
      });
    }
    storeDrafts(drafts);
  }

  function watchTyping(onTyping) {
    function typed(event) {
      var form = event.target.form;
      if (form && draftForms().indexOf(form) !== -1) {
        form.dataset.typed = "1";
        onTyping();
      }
    }
    // « input » covers typing, ticking and choosing; not « change », which also fires when the warning
    // takes the focus from a field.
    document.addEventListener("input", typed);
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (form.dataset.typed && draftForms().indexOf(form) !== -1) {
        var drafts = loadDrafts();
        keepDraft(form, "sent", drafts);
        storeDrafts(drafts);
      }
    });
  }

  // ----- Idle sign-out -----------------------------------------------------------------------------------
  var LAST_ACTIVITY = "portal:last-activity"; // shared by the tabs: activity in one keeps the others alive

  function setUpIdle() {
    var body = document.body;
    var timeout = Number(body.getAttribute("data-idle-timeout")) * 1000;
    var box = document.getElementById("idle-warning");
    if (!timeout || !box) {
      return;
    }
    var warning = Number(body.getAttribute("data-idle-warning")) * 1000;
    var keepAliveUrl = body.getAttribute("data-keep-alive-url");
    var throttle = Math.min(60000, timeout / 4);
    var countdown = box.querySelector("[data-idle-countdown]");
    var stay = box.querySelector("[data-idle-stay]");
    var logout = document.getElementById("logout-form");
    var last = Date.now();
    var lastPing = last;
    var typedSincePing = false;
    var pinging = false;
    var ended = false;
    var focusBefore = null;

    function share(time) {
      try {
        localStorage.setItem(LAST_ACTIVITY, String(time));
      } catch (error) {
        // Private mode: each tab counts on its own.
      }
    }

    function shared() {
      try {
        return Number(localStorage.getItem(LAST_ACTIVITY)) || 0;
      } catch (error) {
        return 0;
      }
    }

    function csrfToken() {
      var input = logout.querySelector('input[name="csrfmiddlewaretoken"]');
      return input ? input.value : "";
    }

    function hide() {
      if (box.hidden) {
        return;
      }
      box.hidden = true;
      if (box.contains(document.activeElement) && focusBefore && document.contains(focusBefore)) {
        focusBefore.focus();
      }
    }

    function show(remaining) {
      var seconds = Math.ceil(remaining / 1000);
      var minutes = Math.floor(seconds / 60);
      countdown.textContent = (minutes ? minutes + " min " : "") + (seconds % 60) + " s";
      if (box.hidden) {
        focusBefore = document.activeElement;
        box.hidden = false;
        stay.focus();
      }
    }

    function sessionEnded() {
      // Signed out by the server meanwhile (another tab, an administrator): the page asked again (GET)
      // answers with the sign-in page and its `next`.
      ended = true;
      keepTypedDrafts("interrupted");
      window.location.assign(window.location.pathname + window.location.search);
    }

    function keepAlive() {
      pinging = true;
      lastPing = Date.now();
      typedSincePing = false;
      return fetch(keepAliveUrl, {
        method: "POST",
        credentials: "same-origin",
        redirect: "manual",
        headers: { "X-CSRFToken": csrfToken() },
      })
        .then(function (response) {
          pinging = false;
          if (response.ok) {
            last = Date.now();
            share(last);
            hide();
          } else {
            sessionEnded();
          }
        })
        .catch(function () {
          pinging = false; // network down: try again at the next typing or click
        });
    }

    function signOut() {
      ended = true;
      keepTypedDrafts("interrupted");
      var fields = { motif: "inactivite", next: window.location.pathname + window.location.search };
      Object.keys(fields).forEach(function (name) {
        var input = document.createElement("input");
        input.type = "hidden";
        input.name = name;
        input.value = fields[name];
        logout.appendChild(input);
      });
      logout.submit();
    }

    function tick() {
      if (ended) {
        return;
      }
      var now = Date.now();
      var other = shared();
      if (other > last) {
        last = other;
        hide();
      }
      if (typedSincePing && !pinging && (now - lastPing >= throttle || !box.hidden)) {
        keepAlive();
      }
      var remaining = timeout - (now - last);
      if (remaining <= 0) {
        signOut();
      } else if (remaining <= warning) {
        show(remaining);
      }
    }

    share(last);
    stay.addEventListener("click", keepAlive);
    watchTyping(function () {
      typedSincePing = true;
    });
    window.setInterval(tick, 1000);
  }

  // After a round-trip to the server, the focus goes to what appeared (a list, an error summary) rather
  // than staying at the top of the page.
  function focusWhatAppeared() {
    var target = document.querySelector("[data-focus-on-load]");
    if (target) {
      target.focus();
    }
  }

  // Escape closes an open « Choisir… » menu (details/summary) and gives the focus back to its summary.
  function closeMenusOnEscape() {
    document.addEventListener("keydown", function (event) {
      if (event.key !== "Escape") {
        return;
      }
      var open = event.target.closest ? event.target.closest("details[open]") : null;
      if (open) {
        open.open = false;
        open.querySelector("summary").focus();
      }
    });
  }

  setUpMenu();
  closeMenusOnEscape();
  restoreDrafts();
  focusWhatAppeared();
  setUpIdle();
})();
