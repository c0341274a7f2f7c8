// tiski workspace behaviour: keyboard shortcuts, live updates, presence, macros in the reply
// box. Plain JavaScript over htmx; no build step. Nothing here evaluates strings as code.
(function () {
  "use strict";

  var body = document.body;
  var page = body.getAttribute("data-page") || "";

  // The browser's time zone, so the server writes times as the reader lives them.
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone) {
      document.cookie = "tiski_tz=" + encodeURIComponent(zone) + "; path=/; samesite=lax; max-age=31536000";
    }
  } catch (e) { /* an old browser: times stay in UTC */ }

  function $(selector, root) { return (root || document).querySelector(selector); }
  function $all(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }
  function trigger(name) { if (window.htmx) { window.htmx.trigger(body, name); } }
  function typingInField(event) {
    var t = event.target;
    return t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.tagName === "SELECT" || t.isContentEditable);
  }

  // Menu on narrow screens.
  var toggle = $("#menu-toggle");
  function setMenu(open) {
    body.classList.toggle("menu-open", open);
    if (toggle) { toggle.setAttribute("aria-expanded", open ? "true" : "false"); }
  }
  if (toggle) {
    toggle.addEventListener("click", function () { setMenu(!body.classList.contains("menu-open")); });
  }
  // A tap outside the open menu, or Escape, closes it (the dimmed page must not take the tap).
  document.addEventListener("click", function (e) {
    if (!body.classList.contains("menu-open")) { return; }
    var sidebar = $("#sidebar");
    if (sidebar && !sidebar.contains(e.target) && !(toggle && toggle.contains(e.target))) {
      e.preventDefault();
      e.stopPropagation();
      setMenu(false);
    }
  }, true);
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && body.classList.contains("menu-open")) { setMenu(false); }
  });

  // The shortcuts overlay.
  var overlay = $("#shortcuts");
  function showHelp(show) {
    if (!overlay) { return; }
    overlay.hidden = !show;
    if (show) { var b = $("[data-close-overlay]", overlay); if (b) { b.focus(); } }
  }
  var helpButton = $("#help-button");
  if (helpButton) { helpButton.addEventListener("click", function () { showHelp(true); }); }
  $all("[data-close-overlay]").forEach(function (b) { b.addEventListener("click", function () { showHelp(false); }); });
  if (overlay) { overlay.addEventListener("click", function (e) { if (e.target === overlay) { showHelp(false); } }); }

  // Flash notices fade after a while.
  function settleFlash() {
    $all("#flash .flash").forEach(function (f) {
      if (f.dataset.timer) { return; }
      f.dataset.timer = "1";
      setTimeout(function () { if (f.parentNode) { f.parentNode.removeChild(f); } }, 7000);
    });
  }
  body.addEventListener("htmx:afterSwap", settleFlash);
  body.addEventListener("htmx:oobAfterSwap", settleFlash);

  // ---- Inbox -----------------------------------------------------------------------------
  var cursorRow = null;
  function rows() { return $all("#inbox-rows tr.ticket-row"); }
  function setCursor(row) {
    if (cursorRow) { cursorRow.classList.remove("is-cursor"); }
    cursorRow = row;
    if (row) {
      row.classList.add("is-cursor");
      row.scrollIntoView({ block: "nearest" });
      var link = $("a.ticket-link", row);
      if (link) { link.focus({ preventScroll: true }); }
    }
  }
  function moveCursor(step) {
    var list = rows();
    if (!list.length) { return; }
    var index = cursorRow ? list.indexOf(cursorRow) : -1;
    index = Math.max(0, Math.min(list.length - 1, index + step));
    setCursor(list[index]);
  }
  function selectedCount() { return $all("#inbox-rows input[name=ids]:checked").length; }
  function updateBulk() {
    var bar = $("#bulk-form");
    if (!bar) { return; }
    bar.classList.toggle("has-selection", selectedCount() > 0);
    var all = $("#select-all");
    if (all) { all.checked = selectedCount() > 0 && selectedCount() === rows().length; }
  }
  document.addEventListener("change", function (e) {
    if (e.target.id === "select-all") {
      $all("#inbox-rows input[name=ids]").forEach(function (c) { c.checked = e.target.checked; });
    }
    if (e.target.id === "sort") {
      var s = $("#bulk-sort");
      if (s) { s.value = e.target.value; }
    }
    updateBulk();
  });
  document.addEventListener("click", function (e) {
    var row = e.target.closest && e.target.closest("tr.ticket-row");
    if (row && !e.target.closest("a, input, button, label")) {
      window.location.href = row.getAttribute("data-href");
    }
    var refresh = e.target.closest && e.target.closest("#inbox-refresh-button");
    if (refresh) { refreshInbox(true); }
  });
  body.addEventListener("htmx:afterSwap", function (e) {
    if (e.target && (e.target.id === "inbox-rows" || (e.detail && e.detail.target && e.detail.target.id === "inbox-rows"))) {
      cursorRow = null;
      updateBulk();
    }
  });

  function refreshInbox(force) {
    var rowsBody = $("#inbox-rows");
    if (!rowsBody || !window.htmx) { return; }
    var notice = $("#inbox-refresh");
    if (!force && selectedCount() > 0) { if (notice) { notice.hidden = false; } return; }
    if (notice) { notice.hidden = true; }
    var view = $("#bulk-form input[name=view]");
    var sort = $("#bulk-sort");
    var url = "/ui/inbox/list?view=" + encodeURIComponent(view ? view.value : "mine") +
      "&sort=" + encodeURIComponent(sort ? sort.value : "-updated_at");
    window.htmx.ajax("GET", url, { target: "#inbox-rows", swap: "outerHTML" });
  }

  // ---- Ticket page -----------------------------------------------------------------------
  var ticketPage = $(".ticket-page");
  var ticketId = ticketPage ? ticketPage.getAttribute("data-ticket-id") : null;
  var replyForm = $("#reply-form");
  var replyBody = $("#reply-body");

  function setKind(kind) {
    if (!replyForm) { return; }
    var radio = $("input[name=kind][value=" + kind + "]", replyForm);
    if (radio) { radio.checked = true; }
    replyForm.classList.toggle("is-note", kind === "note");
    if (replyBody) { replyBody.focus(); }
  }
  if (replyForm) {
    replyForm.addEventListener("change", function (e) {
      if (e.target.name === "kind") { setKind(e.target.value); }
    });
  }

  // Presence: tell the server while typing, so colleagues see it.
  var typingFlag = $("#typing-flag");
  var presenceForm = $("#presence-form");
  var lastTypingReport = 0;
  var typingTimer = null;
  function reportTyping() {
    if (!typingFlag || !presenceForm || !window.htmx) { return; }
    typingFlag.value = "1";
    clearTimeout(typingTimer);
    typingTimer = setTimeout(function () { typingFlag.value = "0"; }, 5000);
    var now = Date.now();
    if (now - lastTypingReport > 2500) {
      lastTypingReport = now;
      window.htmx.trigger(presenceForm, "tiski:typing");
    }
  }

  // Macros: "/words" at the start of a line searches; choosing one inserts its text.
  var macroSearch = $("#macro-search");
  var macroResults = $("#macro-results");
  var slashQuery = null;
  function searchMacros(query) {
    if (!macroSearch || !window.htmx) { return; }
    macroSearch.value = query;
    window.htmx.trigger(macroSearch, "tiski:search");
  }
  if (replyBody) {
    replyBody.addEventListener("input", function () {
      reportTyping();
      var before = replyBody.value.slice(0, replyBody.selectionStart);
      var line = before.split("\n").pop();
      var match = /^\/(\S*)$/.exec(line);
      if (match) {
        slashQuery = { start: before.length - line.length, end: before.length };
        searchMacros(match[1]);
      } else if (slashQuery) {
        slashQuery = null;
        if (macroResults) { macroResults.innerHTML = ""; }
      }
    });
    replyBody.addEventListener("keydown", function (e) {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        if (window.htmx && replyForm) { window.htmx.trigger(replyForm, "submit"); }
      }
      if (e.key === "ArrowDown" && macroResults && macroResults.querySelector(".macro-option") && slashQuery) {
        e.preventDefault();
        macroResults.querySelector(".macro-option").focus();
      }
    });
  }
  function insertText(text) {
    if (!replyBody) { return; }
    var value = replyBody.value;
    var start = replyBody.selectionStart, end = replyBody.selectionEnd;
    if (slashQuery) { start = slashQuery.start; end = slashQuery.end; slashQuery = null; }
    replyBody.value = value.slice(0, start) + text + value.slice(end);
    var caret = start + text.length;
    replyBody.focus();
    replyBody.setSelectionRange(caret, caret);
  }
  document.addEventListener("click", function (e) {
    if (macroResults && !(e.target.closest && e.target.closest(".macro-bar"))) { macroResults.innerHTML = ""; }
    var option = e.target.closest && e.target.closest(".macro-option");
    if (!option) { return; }
    e.preventDefault();
    fetch(option.getAttribute("data-macro-url"), { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error("macro"); } return r.json(); })
      .then(function (m) {
        insertText(m.body);
        var status = $("#reply-status");
        if (status && m.set_status) { status.value = m.set_status; }
        var tags = $("#reply-add-tags");
        if (tags) { tags.value = m.add_tags || ""; }
        var team = $("#reply-set-team");
        if (team) { team.value = m.set_team_id || ""; }
        var effects = $("#macro-effects");
        if (effects) {
          effects.textContent = m.effects || "";
          effects.hidden = !m.effects;
        }
        if (macroResults) { macroResults.innerHTML = ""; }
        if (macroSearch) { macroSearch.value = ""; }
        reportTyping();
      })
      .catch(function () { /* the flash area shows server errors on the next request */ });
  });
  document.addEventListener("keydown", function (e) {
    var option = e.target.closest && e.target.closest(".macro-option");
    if (!option) { return; }
    if (e.key === "ArrowDown" && option.nextElementSibling) { e.preventDefault(); option.nextElementSibling.focus(); }
    if (e.key === "ArrowUp") { e.preventDefault(); if (option.previousElementSibling) { option.previousElementSibling.focus(); } else if (replyBody) { replyBody.focus(); } }
    if (e.key === "Escape" && replyBody) { macroResults.innerHTML = ""; replyBody.focus(); }
  });

  body.addEventListener("tiski:sent", function () {
    if (!replyForm) { return; }
    replyBody.value = "";
    var effects = $("#macro-effects");
    if (effects) { effects.hidden = true; effects.textContent = ""; }
    ["#reply-add-tags", "#reply-set-team", "#reply-status"].forEach(function (s) { var el = $(s); if (el) { el.value = ""; } });
    if (typingFlag) { typingFlag.value = "0"; }
    trigger("tiski:counts");
  });
  body.addEventListener("tiski:changed", function () {
    trigger("tiski:refresh-timeline");
    trigger("tiski:counts");
  });

  // ---- Live updates ----------------------------------------------------------------------
  var live = $("#live-status");
  function setLive(on) {
    if (!live) { return; }
    live.classList.toggle("on", on);
    live.classList.toggle("off", !on);
    var text = $(".live-text", live);
    if (text) { text.textContent = on ? live.getAttribute("data-on") : live.getAttribute("data-off"); }
  }
  var pending = {};
  function soon(name, fn) {
    clearTimeout(pending[name]);
    pending[name] = setTimeout(fn, 400);
  }
  if (window.EventSource && live) {
    var source = new EventSource("/ui/events");
    source.addEventListener("open", function () { setLive(true); });
    source.addEventListener("error", function () { setLive(false); });
    // The reader's own notifications ring the bell (see "Notifications" below).
    source.addEventListener("notification", function (message) {
      body.dispatchEvent(new CustomEvent("tiski:notification", { detail: message.data }));
    });
    source.addEventListener("ticket", function (message) {
      var data;
      try { data = JSON.parse(message.data); } catch (e) { return; }
      soon("counts", function () { trigger("tiski:counts"); });
      if (page === "inbox") { soon("inbox", function () { refreshInbox(false); }); }
      if (ticketId && String(data.ticket_id) === ticketId) {
        soon("timeline", function () { trigger("tiski:refresh-timeline"); });
        var focused = document.activeElement;
        var editing = focused && focused.closest && focused.closest("#props") && (focused.tagName === "SELECT" || focused.tagName === "INPUT");
        if (!editing) { soon("props", function () { trigger("tiski:refresh-props"); }); }
      }
    });
  }

  // ---- Keyboard --------------------------------------------------------------------------
  var pendingG = false;
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape") { showHelp(false); return; }
    if (e.ctrlKey || e.metaKey || e.altKey || typingInField(e)) { return; }
    var key = e.key;
    if (pendingG) {
      pendingG = false;
      if (key === "i") { window.location.href = "/inbox"; }
      if (key === "c") { window.location.href = "/customers"; }
      return;
    }
    if (key === "g") { pendingG = true; setTimeout(function () { pendingG = false; }, 1200); return; }
    if (key === "?") { e.preventDefault(); showHelp(overlay && overlay.hidden); return; }
    if (key === "/") { var s = $("#customer-search") || $("#global-search"); if (s) { e.preventDefault(); s.focus(); } return; }
    if (page === "inbox") {
      if (key === "j") { e.preventDefault(); moveCursor(1); }
      if (key === "k") { e.preventDefault(); moveCursor(-1); }
      if ((key === "o" || key === "Enter") && cursorRow) { e.preventDefault(); window.location.href = cursorRow.getAttribute("data-href"); }
      if (key === "x" && cursorRow) {
        e.preventDefault();
        var box = $("input[name=ids]", cursorRow);
        if (box) { box.checked = !box.checked; updateBulk(); }
      }
    }
    if (ticketPage) {
      if (key === "r") { e.preventDefault(); setKind("reply"); }
      if (key === "i") { e.preventDefault(); setKind("note"); }
      if (key === "a") { var b = $("#assign-me"); if (b) { e.preventDefault(); b.click(); } }
      if (key === "n") { var next = ticketPage.getAttribute("data-next-href"); if (next) { e.preventDefault(); window.location.href = next; } }
      if (key === "u") { e.preventDefault(); window.location.href = ticketPage.getAttribute("data-back-href") || "/inbox"; }
    }
  });

  settleFlash();
  updateBulk();
})();

// ---- Notifications (notify) ------------------------------------------------------------
// The bell: its unread count (also in the tab title, "(3) Inbox · tiski"), its list, live
// rings from the event stream, browser notifications when the agent allowed them in this
// browser, the browser opt-in on the settings page, the "Ask for help" form, and the
// typeahead of @mentions in the note composer.
(function () {
  "use strict";
  var body = document.body;
  var bell = document.getElementById("notify-bell");
  var panel = document.getElementById("notify-panel");
  var badge = document.getElementById("notify-count");
  var OPT_IN = "tiski-notify-browser";
  if (!bell || !panel || !badge) { return; }

  function setCount(n) {
    n = Math.max(0, parseInt(n, 10) || 0);
    badge.textContent = n > 99 ? "99+" : String(n);
    badge.hidden = n === 0;
    bell.classList.toggle("has-unread", n > 0);
    var title = document.title.replace(/^\(\d+\+?\) /, "");
    document.title = n > 0 ? "(" + (n > 99 ? "99+" : n) + ") " + title : title;
  }
  function refreshCount() {
    fetch("/ui/notifications/count", { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error("count"); } return r.json(); })
      .then(function (d) { setCount(d.unread); })
      .catch(function () { /* the next ring or page load tries again */ });
  }
  function loadList() {
    var list = document.getElementById("notify-list");
    if (window.htmx && list) { window.htmx.ajax("GET", "/ui/notifications", { target: list, swap: "outerHTML" }); }
  }
  function setOpen(open) {
    panel.hidden = !open;
    bell.setAttribute("aria-expanded", open ? "true" : "false");
    if (open) { loadList(); }
  }
  bell.addEventListener("click", function (e) { e.stopPropagation(); setOpen(panel.hidden); });
  document.addEventListener("click", function (e) {
    if (!panel.hidden && !panel.contains(e.target)) { setOpen(false); }
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && !panel.hidden) { setOpen(false); bell.focus(); }
  });
  body.addEventListener("htmx:afterSwap", function (e) {
    var target = e.detail && e.detail.target;
    var list = document.getElementById("notify-list");
    if (list && (target === list || (target && target.id === "notify-list") || panel.contains(target))) {
      setCount(list.getAttribute("data-unread"));
    }
  });

  function csrf() { return body.getAttribute("data-csrf") || ""; }
  function openNotification(id, ticketId) {
    fetch("/ui/notifications/" + id + "/open", {
      method: "POST", credentials: "same-origin", redirect: "manual",
      headers: { "X-CSRF-Token": csrf(), "Content-Type": "application/x-www-form-urlencoded" },
      body: "csrf=" + encodeURIComponent(csrf())
    }).catch(function () { return null; }).then(function () {
      window.location.href = ticketId ? "/tickets/" + ticketId : "/inbox";
    });
  }
  function browserAllowed() {
    return "Notification" in window && window.Notification.permission === "granted" && window.localStorage && localStorage.getItem(OPT_IN) === "1";
  }
  body.addEventListener("tiski:notification", function (e) {
    var data;
    try { data = JSON.parse(e.detail); } catch (err) { return; }
    setCount(data.unread);
    bell.classList.remove("ring");
    void bell.offsetWidth;
    bell.classList.add("ring");
    if (!panel.hidden) { loadList(); }
    if (data.browser && browserAllowed() && document.visibilityState !== "visible") {
      try {
        var shown = new window.Notification("tiski", { body: data.text, tag: "tiski-" + data.id });
        shown.onclick = function () { window.focus(); openNotification(data.id, data.ticket_id); shown.close(); };
      } catch (err) { /* some browsers only show notifications from a service worker */ }
    }
  });

  // The browser opt-in on the settings page (its section arrives by htmx).
  function showBrowserState() {
    var button = document.getElementById("notify-browser-allow");
    var state = document.getElementById("notify-browser-state");
    if (!button || !state) { return; }
    if (!("Notification" in window)) { button.hidden = true; return; }
    if (window.Notification.permission === "denied") { state.textContent = button.getAttribute("data-denied"); }
    else if (browserAllowed()) { state.textContent = button.getAttribute("data-on"); }
  }
  document.addEventListener("click", function (e) {
    var button = e.target.closest && e.target.closest("#notify-browser-allow");
    if (!button || !("Notification" in window)) { return; }
    window.Notification.requestPermission().then(function (permission) {
      if (permission === "granted" && window.localStorage) { localStorage.setItem(OPT_IN, "1"); }
      showBrowserState();
    });
  });
  body.addEventListener("htmx:afterSettle", showBrowserState);

  // "Ask for help": a sent request empties and folds the form.
  body.addEventListener("htmx:afterRequest", function (e) {
    var form = e.detail && e.detail.elt;
    if (form && form.getAttribute && form.getAttribute("data-testid") === "help-form" && e.detail.successful) {
      form.reset();
      var details = form.closest("details");
      if (details) { details.open = false; }
    }
  });

  // @mentions in a note: typing "@" offers the colleagues who may see the ticket; choosing
  // one writes "@Full Name ", which is how tiski recognises the mention.
  var ticketPage = document.querySelector(".ticket-page[data-ticket-id]");
  var text = document.getElementById("reply-body");
  if (ticketPage && text && text.tagName === "TEXTAREA") {
    var ticketId = ticketPage.getAttribute("data-ticket-id");
    var people = null;
    var box = document.createElement("ul");
    box.id = "mention-list";
    box.className = "mention-list";
    box.setAttribute("role", "listbox");
    box.setAttribute("data-testid", "mention-list");
    box.hidden = true;
    text.parentNode.insertBefore(box, text.nextSibling);
    var query = null;
    var active = 0;
    function isNote() {
      var radio = document.querySelector("#reply-form input[name=kind][value=note]");
      return radio && radio.checked;
    }
    function close() { box.hidden = true; query = null; box.innerHTML = ""; }
    function render(matches) {
      box.innerHTML = "";
      matches.forEach(function (p, i) {
        var li = document.createElement("li");
        li.setAttribute("role", "option");
        li.className = "mention-option" + (i === active ? " active" : "");
        li.setAttribute("aria-selected", i === active ? "true" : "false");
        li.setAttribute("data-testid", "mention-option");
        var name = document.createElement("strong");
        name.textContent = p.name;
        var handle = document.createElement("span");
        handle.className = "muted";
        handle.textContent = " @" + p.handle;
        li.appendChild(name);
        li.appendChild(handle);
        li.addEventListener("mousedown", function (ev) { ev.preventDefault(); choose(p); });
        box.appendChild(li);
      });
      box.hidden = matches.length === 0;
    }
    function matching() {
      if (!people || query === null) { return []; }
      var q = query.text.toLowerCase();
      return people.filter(function (p) {
        return p.name.toLowerCase().indexOf(q) === 0 || p.handle.toLowerCase().indexOf(q) === 0;
      }).slice(0, 8);
    }
    function choose(p) {
      var value = text.value;
      var insert = "@" + p.name + " ";
      text.value = value.slice(0, query.start) + insert + value.slice(query.end);
      var caret = query.start + insert.length;
      close();
      text.focus();
      text.setSelectionRange(caret, caret);
    }
    function update() {
      if (!isNote()) { close(); return; }
      var before = text.value.slice(0, text.selectionStart);
      var m = /(^|[^\w@])@([^@\n]{0,40})$/.exec(before);
      if (!m) { close(); return; }
      query = { start: before.length - m[2].length - 1, end: before.length, text: m[2] };
      active = 0;
      if (people === null) {
        people = [];
        fetch("/ui/tickets/" + ticketId + "/mentionable", { credentials: "same-origin", headers: { "Accept": "application/json" } })
          .then(function (r) { if (!r.ok) { throw new Error("mentionable"); } return r.json(); })
          .then(function (list) { people = list; if (query) { render(matching()); } })
          .catch(function () { people = null; });
        return;
      }
      render(matching());
    }
    text.addEventListener("input", update);
    text.addEventListener("blur", function () { setTimeout(close, 150); });
    text.addEventListener("keydown", function (e) {
      if (box.hidden) { return; }
      var matches = matching();
      if (e.key === "ArrowDown" || e.key === "ArrowUp") {
        e.preventDefault();
        e.stopImmediatePropagation();
        active = (active + (e.key === "ArrowDown" ? 1 : matches.length - 1)) % matches.length;
        render(matches);
      } else if ((e.key === "Enter" && !e.ctrlKey && !e.metaKey) || e.key === "Tab") {
        if (matches[active]) { e.preventDefault(); e.stopImmediatePropagation(); choose(matches[active]); }
      } else if (e.key === "Escape") {
        e.preventDefault();
        e.stopImmediatePropagation();
        close();
      }
    }, true);
  }

  refreshCount();
})();
