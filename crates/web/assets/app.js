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

// ---- reshape: "g n" opens the New ticket page (the g-prefixed navigation of the workspace) --
(function () {
  "use strict";
  var lastG = 0;
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey) { return; }
    var t = e.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) { return; }
    if (e.key === "g") { lastG = Date.now(); return; }
    if (e.key === "n" && Date.now() - lastG < 1200) {
      lastG = 0;
      e.preventDefault();
      e.stopImmediatePropagation();
      window.location.href = "/tickets/new";
    }
  }, true);
})();
