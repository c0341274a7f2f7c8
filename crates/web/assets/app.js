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
      var found = slashAtCaret();
      if (found) {
        slashQuery = found;
        searchMacros(found.word);
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
    var query = slashQuery;
    slashQuery = null;
    composerInsert(text, query);
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
    clearComposer();
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
    if (key === "/") { var s = $("#search-q") || $("#customer-search") || $("#global-search"); if (s) { e.preventDefault(); s.focus(); } return; }
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

  
  // ---- Composer ----------------------------------------------------------------------------
  // Why a small editor of our own over contenteditable rather than Markdown with a preview:
  // agents coming from Zendesk, Freshdesk or Zammad write in a box that shows bold as bold and
  // a list as a list, and customers read mail the same way; Markdown would be a syntax to learn
  // and a second pane to watch. The browser's own editing commands (execCommand: bold, italic,
  // lists, links, quotes) do the work, so no front-end build or library is needed; the server
  // cleans what the box holds to a few tags and derives the text part from it
  // (ticketing::rules::compose). Shortcuts: Ctrl+B, Ctrl+I, Ctrl+K (link), Ctrl+Shift+7/8
  // (numbered/bulleted list), Ctrl+Shift+9 (quote), Ctrl+Enter (send); Escape closes the
  // macro picker. Drafts are saved on the server as the agent types (a reload or a crash loses
  // nothing), files are staged one by one with progress and sent with the reply.
  var composer = $("#composer");
  var draftTimer = null;
  var draftDirty = false;
  var draftSeq = 0;
  var savedRange = null;
  var csrf = body.getAttribute("data-csrf") || "";

  function composerText() { return replyBody ? (replyBody.innerText || "").replace(/\u00a0/g, " ") : ""; }
  function composerEmpty() { return composerText().trim() === "" && !$(".attach-item", composer); }
  function syncHtml() {
    var hidden = $("#reply-html");
    if (hidden && replyBody) { hidden.value = composerText().trim() === "" ? "" : replyBody.innerHTML; }
  }
  function inEditor(node) { return replyBody && node && (node === replyBody || replyBody.contains(node)); }
  function rememberRange() {
    var sel = window.getSelection();
    if (sel && sel.rangeCount && inEditor(sel.anchorNode)) { savedRange = sel.getRangeAt(0).cloneRange(); }
  }
  function restoreRange() {
    if (!replyBody) { return; }
    replyBody.focus();
    var sel = window.getSelection();
    // The live caret wins while it is in the box: the remembered one comes from
    // selectionchange, which a busy browser delivers late, and would put the text back where
    // the caret was a few keystrokes ago.
    if (sel.rangeCount && inEditor(sel.anchorNode)) { return; }
    if (savedRange && inEditor(savedRange.startContainer)) {
      sel.removeAllRanges();
      sel.addRange(savedRange);
    } else if (!(sel.rangeCount && inEditor(sel.anchorNode))) {
      var range = document.createRange();
      range.selectNodeContents(replyBody);
      range.collapse(false);
      sel.removeAllRanges();
      sel.addRange(range);
    }
  }

  // "/word" at the start of a line, before the caret: the macro search.
  function slashAtCaret() {
    var sel = window.getSelection();
    if (!sel || !sel.rangeCount || !sel.isCollapsed) { return null; }
    var node = sel.anchorNode;
    if (!node || node.nodeType !== 3 || !inEditor(node)) { return null; }
    var before = node.data.slice(0, sel.anchorOffset);
    var match = /^\/(\S*)$/.exec(before);
    if (!match) { return null; }
    var prev = node.previousSibling;
    if (prev && prev.nodeName !== "BR") { return null; }
    return { node: node, start: 0, end: sel.anchorOffset, word: match[1] };
  }

  function composerInsert(text, query) {
    if (!replyBody) { return; }
    replyBody.focus();
    var sel = window.getSelection();
    if (query && query.node && inEditor(query.node)) {
      var range = document.createRange();
      range.setStart(query.node, Math.min(query.start, query.node.length));
      range.setEnd(query.node, Math.min(query.end, query.node.length));
      sel.removeAllRanges();
      sel.addRange(range);
    } else {
      restoreRange();
    }
    document.execCommand("insertText", false, text);
    rememberRange();
    scheduleDraft();
  }

  function clearComposer() {
    clearTimeout(draftTimer);
    draftDirty = false;
    draftSeq++;
    if (replyBody) { replyBody.innerHTML = ""; }
    syncHtml();
    $all(".attach-item", composer).forEach(function (li) { li.parentNode.removeChild(li); });
    setDraftState("");
    hideSlashWarning();
    markSlashWords([]);
  }

  function setDraftState(key) {
    var el = $("#draft-state");
    if (!el || !composer) { return; }
    el.textContent = key ? composer.getAttribute("data-msg-" + key) || "" : "";
    el.classList.toggle("is-error", key === "save-failed");
  }

  function currentKind() {
    var radio = replyForm && $("input[name=kind]:checked", replyForm);
    return radio ? radio.value : "reply";
  }

  function request(method, url, data, keepalive) {
    return fetch(url, {
      method: method,
      credentials: "same-origin",
      keepalive: !!keepalive,
      headers: { "x-csrf-token": csrf, "Content-Type": "application/x-www-form-urlencoded" },
      body: data ? new URLSearchParams(data).toString() : undefined
    });
  }

  // Drafts: saved a moment after the agent stops typing, and when the page goes away.
  function saveDraft(keepalive) {
    if (!composer) { return; }
    clearTimeout(draftTimer);
    if (!draftDirty) { return; }
    draftDirty = false;
    var seq = ++draftSeq;
    syncHtml();
    var url = composer.getAttribute("data-draft-url");
    var html = $("#reply-html").value;
    setDraftState("saving");
    // An empty box removes the text of the draft; staged files stay until removed or sent.
    var done = request("PUT", url, { kind: currentKind(), html: html }, keepalive);
    done.then(function (r) {
      if (seq !== draftSeq) { return; }
      setDraftState(r.ok ? (html ? "saved" : "") : "save-failed");
    }).catch(function () { if (seq === draftSeq) { setDraftState("save-failed"); draftDirty = true; } });
  }
  function scheduleDraft() {
    if (!composer) { return; }
    draftDirty = true;
    syncHtml();
    clearTimeout(draftTimer);
    draftTimer = setTimeout(function () { saveDraft(false); }, 800);
  }
  window.addEventListener("pagehide", function () { saveDraft(true); });

  // Formatting.
  function format(cmd) {
    if (!replyBody) { return; }
    restoreRange();
    if (cmd === "link") {
      var url = window.prompt(composer.getAttribute("data-msg-link") || "URL", "https://");
      if (!url || !/^(https?:\/\/|mailto:)\S+$/i.test(url.trim())) { return; }
      url = url.trim();
      var sel = window.getSelection();
      if (sel.isCollapsed) {
        var safe = url.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
        document.execCommand("insertHTML", false, '<a href="' + safe + '">' + safe + "</a>&nbsp;");
      } else {
        document.execCommand("createLink", false, url);
        sel.collapseToEnd();
      }
    } else if (cmd === "quote") {
      var inQuote = window.getSelection().anchorNode;
      var quoted = inQuote && inQuote.parentElement && inQuote.parentElement.closest && inQuote.parentElement.closest("blockquote");
      document.execCommand("formatBlock", false, quoted ? "div" : "blockquote");
    } else {
      document.execCommand(cmd, false, null);
    }
    rememberRange();
    scheduleDraft();
  }

  if (composer && replyBody) {
    try { document.execCommand("defaultParagraphSeparator", false, "div"); } catch (e) { /* older browsers */ }
    syncHtml();
    $all(".format-bar .fmt[data-cmd]", composer).forEach(function (b) {
      b.addEventListener("mousedown", function (e) { e.preventDefault(); });
      b.addEventListener("click", function () { format(b.getAttribute("data-cmd")); });
    });
    replyBody.addEventListener("input", function () { scheduleDraft(); markSlashWords(slashWords()); });
    document.addEventListener("selectionchange", rememberRange);
    replyForm.addEventListener("change", function (e) { if (e.target.name === "kind") { draftDirty = true; saveDraft(false); } });
    replyBody.addEventListener("keydown", function (e) {
      var mod = e.ctrlKey || e.metaKey;
      if (!mod) {
        if (e.key === "Escape" && macroResults && macroResults.innerHTML) { e.preventDefault(); closeMacros(); }
        return;
      }
      var k = e.key.toLowerCase();
      if (!e.shiftKey && k === "b") { e.preventDefault(); format("bold"); }
      else if (!e.shiftKey && k === "i") { e.preventDefault(); format("italic"); }
      else if (!e.shiftKey && k === "k") { e.preventDefault(); format("link"); }
      else if (e.shiftKey && (e.code === "Digit8" || k === "*")) { e.preventDefault(); format("insertUnorderedList"); }
      else if (e.shiftKey && (e.code === "Digit7" || k === "&")) { e.preventDefault(); format("insertOrderedList"); }
      else if (e.shiftKey && (e.code === "Digit9" || k === "(")) { e.preventDefault(); format("quote"); }
    });
    // Pasted text arrives as text (the box keeps only its own formatting); pasted files and
    // images are attached.
    replyBody.addEventListener("paste", function (e) {
      var data = e.clipboardData;
      if (!data) { return; }
      var files = Array.prototype.slice.call(data.files || []);
      if (!files.length && data.items) {
        Array.prototype.slice.call(data.items).forEach(function (item) {
          if (item.kind === "file") { var f = item.getAsFile(); if (f) { files.push(f); } }
        });
      }
      e.preventDefault();
      if (files.length) { attachFiles(files); return; }
      var text = data.getData("text/plain");
      if (text) { document.execCommand("insertText", false, text); }
    });
  }

  // Attachments: button, drag and drop, paste; staged one by one with a progress bar.
  var attachList = $("#attach-list");
  function attachLimit(name) { return parseInt(composer.getAttribute("data-max-" + name), 10) || 0; }
  function attachError(text) {
    var el = $("#attach-error");
    if (el) { el.textContent = text || ""; }
  }
  function liveItems() { return $all(".attach-item:not(.is-failed)", composer); }
  function removeButton(li) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "attach-remove";
    b.setAttribute("aria-label", composer.getAttribute("data-msg-remove") || "Remove");
    b.title = b.getAttribute("aria-label");
    b.setAttribute("data-testid", "attach-remove");
    b.innerHTML = '<svg width="14" height="14" viewBox="0 0 24 24" aria-hidden="true"><path fill="currentColor" d="M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12l5.6 5.6-1.4 1.4-5.6-5.6L6.4 19 5 17.6 10.6 12 5 6.4z"/></svg>';
    li.appendChild(b);
  }
  function sizeLabel(bytes) {
    if (bytes < 1024) { return bytes + " B"; }
    if (bytes < 1024 * 1024) { return Math.floor(bytes / 1024) + " KiB"; }
    return (bytes / (1024 * 1024)).toFixed(1) + " MiB";
  }
  function uploadFile(file) {
    var li = document.createElement("li");
    li.className = "attach-item is-uploading";
    li.setAttribute("data-testid", "attach-item");
    li.setAttribute("data-size", String(file.size));
    var name = document.createElement("span");
    name.className = "attach-name";
    name.textContent = file.name || "pasted.png";
    var size = document.createElement("span");
    size.className = "attach-size muted";
    size.textContent = sizeLabel(file.size);
    var bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    bar.className = "attach-progress";
    bar.setAttribute("data-testid", "attach-progress");
    li.appendChild(name);
    li.appendChild(document.createTextNode(" "));
    li.appendChild(size);
    li.appendChild(bar);
    removeButton(li);
    attachList.appendChild(li);
    var xhr = new XMLHttpRequest();
    li._xhr = xhr;
    xhr.open("POST", composer.getAttribute("data-upload-url") + "?name=" + encodeURIComponent(name.textContent));
    xhr.setRequestHeader("x-csrf-token", csrf);
    xhr.setRequestHeader("Content-Type", file.type || "application/octet-stream");
    xhr.upload.addEventListener("progress", function (e) { if (e.lengthComputable) { bar.value = Math.round(100 * e.loaded / e.total); } });
    xhr.addEventListener("load", function () {
      li._xhr = null;
      var answer = {};
      try { answer = JSON.parse(xhr.responseText || "{}"); } catch (e) { answer = {}; }
      if (xhr.status === 201 && answer.id) {
        li.classList.remove("is-uploading");
        li.classList.add("is-done");
        li.setAttribute("data-staged-id", String(answer.id));
        var input = document.createElement("input");
        input.type = "hidden";
        input.name = "staged";
        input.value = String(answer.id);
        li.insertBefore(input, li.firstChild);
        if (answer.size_label) { size.textContent = answer.size_label; }
        bar.parentNode.removeChild(bar);
      } else {
        failUpload(li, name.textContent, answer.detail || String(xhr.status));
      }
    });
    xhr.addEventListener("error", function () { li._xhr = null; failUpload(li, name.textContent, "network"); });
    xhr.send(file);
  }
  function failUpload(li, name, reason) {
    li.classList.remove("is-uploading");
    li.classList.add("is-failed");
    var bar = $(".attach-progress", li);
    if (bar) { bar.parentNode.removeChild(bar); }
    var text = (composer.getAttribute("data-msg-failed") || "%NAME%: %REASON%").replace("%NAME%", name).replace("%REASON%", reason);
    attachError(text);
  }
  function attachFiles(files) {
    if (!composer || !attachList) { return; }
    attachError("");
    var maxFiles = attachLimit("files"), maxBytes = attachLimit("bytes"), maxTotal = attachLimit("total");
    var count = liveItems().length;
    var total = liveItems().reduce(function (sum, li) { return sum + (parseInt(li.getAttribute("data-size"), 10) || 0); }, 0);
    for (var i = 0; i < files.length; i++) {
      var file = files[i];
      if (count >= maxFiles) { attachError(composer.getAttribute("data-msg-too-many")); return; }
      if (file.size > maxBytes) { attachError((composer.getAttribute("data-msg-too-big") || "").replace("%NAME%", file.name || "")); continue; }
      if (total + file.size > maxTotal) { attachError(composer.getAttribute("data-msg-total")); continue; }
      count++;
      total += file.size;
      uploadFile(file);
    }
  }
  if (composer && attachList) {
    var picker = $("#attach-input");
    $("#attach-button").addEventListener("click", function () { picker.click(); });
    picker.addEventListener("change", function () {
      attachFiles(Array.prototype.slice.call(picker.files || []));
      picker.value = "";
    });
    attachList.addEventListener("click", function (e) {
      var button = e.target.closest && e.target.closest(".attach-remove");
      if (!button) { return; }
      var li = button.closest(".attach-item");
      if (li._xhr) { li._xhr.abort(); }
      var id = li.getAttribute("data-staged-id");
      if (id) { request("DELETE", "/ui/uploads/" + encodeURIComponent(id)); }
      li.parentNode.removeChild(li);
      attachError("");
    });
    var depth = 0;
    composer.addEventListener("dragenter", function (e) {
      if (e.dataTransfer && Array.prototype.indexOf.call(e.dataTransfer.types || [], "Files") >= 0) { depth++; composer.classList.add("is-dropping"); }
    });
    composer.addEventListener("dragleave", function () { depth = Math.max(0, depth - 1); if (!depth) { composer.classList.remove("is-dropping"); } });
    composer.addEventListener("dragover", function (e) { if (composer.classList.contains("is-dropping")) { e.preventDefault(); } });
    composer.addEventListener("drop", function (e) {
      depth = 0;
      composer.classList.remove("is-dropping");
      if (e.dataTransfer && e.dataTransfer.files && e.dataTransfer.files.length) {
        e.preventDefault();
        attachFiles(Array.prototype.slice.call(e.dataTransfer.files));
      }
    });
  }

  // "/words" left in the reply that no macro matches: marked in the box, asked about on send.
  function slashWords() {
    var words = [];
    composerText().split("\n").forEach(function (line) {
      var m = /^\s*\/([^\s\/]+)/.exec(line);
      if (m && words.indexOf(m[1]) < 0 && words.length < 10) { words.push(m[1]); }
    });
    return words;
  }
  var marked = [];
  function markSlashWords(words) {
    marked = words;
    if (!window.CSS || !CSS.highlights || !window.Highlight || !replyBody) { return; }
    var ranges = [];
    if (words.length) {
      var walker = document.createTreeWalker(replyBody, NodeFilter.SHOW_TEXT);
      var node;
      while ((node = walker.nextNode())) {
        var m = /^(\s*)\/([^\s\/]+)/.exec(node.data);
        var prev = node.previousSibling;
        if (m && (!prev || prev.nodeName === "BR") && words.indexOf(m[2]) >= 0 && unknownWords.indexOf(m[2]) >= 0) {
          var r = document.createRange();
          r.setStart(node, m[1].length);
          r.setEnd(node, m[1].length + 1 + m[2].length);
          ranges.push(r);
        }
      }
    }
    CSS.highlights.set("slash-unknown", new Highlight(...ranges));
  }
  var unknownWords = [];
  function checkSlashWords(words) {
    if (!words.length) { return Promise.resolve([]); }
    var url = composer.getAttribute("data-slash-url") + "?" + words.map(function (w) { return "w=" + encodeURIComponent(w); }).join("&");
    return fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : { unknown: [] }; })
      .then(function (answer) { return answer.unknown || []; })
      .catch(function () { return []; });
  }
  var pendingSend = null;
  function hideSlashWarning() {
    var warning = $("#slash-warning");
    if (warning) { warning.hidden = true; }
    pendingSend = null;
  }
  function showSlashWarning(words, send) {
    var warning = $("#slash-warning");
    if (!warning) { send(); return; }
    $(".slash-warning-text", warning).textContent = (warning.getAttribute("data-text") || "%WORDS%")
      .replace("%WORDS%", words.map(function (w) { return "/" + w; }).join(", "));
    warning.hidden = false;
    pendingSend = send;
    $("#slash-send").focus();
  }
  if (composer && replyForm) {
    $("#slash-send").addEventListener("click", function () { var send = pendingSend; hideSlashWarning(); if (send) { send(); } });
    $("#slash-edit").addEventListener("click", function () { hideSlashWarning(); restoreRange(); });
    replyForm.addEventListener("htmx:confirm", function (e) {
      if (e.target !== replyForm) { return; }
      syncHtml();
      clearTimeout(draftTimer);
      draftDirty = false;
      var words = slashWords();
      if (!words.length) { return; }
      e.preventDefault();
      checkSlashWords(words).then(function (unknown) {
        unknownWords = unknown;
        markSlashWords(words);
        if (!unknown.length) { e.detail.issueRequest(true); return; }
        showSlashWarning(unknown, function () { e.detail.issueRequest(true); });
      });
    });
    replyForm.addEventListener("htmx:configRequest", function (e) {
      if (e.target !== replyForm) { return; }
      syncHtml();
      e.detail.parameters.html = $("#reply-html").value;
    });
  }

  // The macro picker: opens above the reply box (never over it), previews the focused macro
  // filled in by the server for this ticket, closes on Escape.
  var previewCache = {};
  function closeMacros() {
    if (macroResults) { macroResults.innerHTML = ""; }
    slashQuery = null;
  }
  function previewMacro(option) {
    var pane = macroResults && $(".macro-preview-text", macroResults);
    if (!pane || !option) { return; }
    var url = option.getAttribute("data-macro-url");
    $all(".macro-option", macroResults).forEach(function (o) { o.classList.toggle("is-previewed", o === option); });
    if (previewCache[url]) { pane.textContent = previewCache[url]; return; }
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (m) { if (m) { previewCache[url] = m.body + (m.effects ? "\n\n" + m.effects : ""); if (option.classList.contains("is-previewed")) { pane.textContent = previewCache[url]; } } })
      .catch(function () { /* no preview */ });
  }
  if (macroResults) {
    macroResults.addEventListener("focusin", function (e) { var o = e.target.closest && e.target.closest(".macro-option"); if (o) { previewMacro(o); } });
    macroResults.addEventListener("mouseover", function (e) { var o = e.target.closest && e.target.closest(".macro-option"); if (o) { previewMacro(o); } });
    body.addEventListener("htmx:afterSwap", function (e) {
      if (e.detail && e.detail.target === macroResults) {
        previewMacro($(".macro-option", macroResults));
        if (slashQuery && $("[data-testid=macros-none]", macroResults)) {
          unknownWords = unknownWords.concat([slashQuery.word]);
        }
      }
    });
  }
  if (macroSearch) {
    macroSearch.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { e.preventDefault(); closeMacros(); macroSearch.value = ""; }
      if (e.key === "ArrowDown" && macroResults && $(".macro-option", macroResults)) { e.preventDefault(); $(".macro-option", macroResults).focus(); }
    });
  }

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
  if (ticketPage && text && (text.tagName === "TEXTAREA" || text.isContentEditable)) {
    // The reply box is the composer's contenteditable (a textarea where it is not): the text
    // before the caret comes from the caret's text node there, from the value here.
    var editable = text.isContentEditable;
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
      var insert = "@" + p.name + " ";
      var q = query;
      close();
      text.focus();
      if (editable) {
        // Select the typed "@que" and type over it, so the editor's undo history keeps it.
        var range = document.createRange();
        range.setStart(q.node, q.start);
        range.setEnd(q.node, q.end);
        var sel = window.getSelection();
        sel.removeAllRanges();
        sel.addRange(range);
        document.execCommand("insertText", false, insert);
        close();
        return;
      }
      var value = text.value;
      text.value = value.slice(0, q.start) + insert + value.slice(q.end);
      var caret = q.start + insert.length;
      text.setSelectionRange(caret, caret);
    }
    function beforeCaret() {
      if (!editable) { return { text: text.value.slice(0, text.selectionStart), node: null }; }
      var sel = window.getSelection();
      if (!sel.rangeCount || !sel.isCollapsed) { return null; }
      var r = sel.getRangeAt(0);
      if (r.startContainer.nodeType !== 3 || !text.contains(r.startContainer)) { return null; }
      return { text: r.startContainer.data.slice(0, r.startOffset), node: r.startContainer };
    }
    function update() {
      if (!isNote()) { close(); return; }
      var at = beforeCaret();
      if (!at) { close(); return; }
      var before = at.text;
      var m = /(^|[^\w@])@([^@\n]{0,40})$/.exec(before);
      if (!m) { close(); return; }
      query = { start: before.length - m[2].length - 1, end: before.length, text: m[2], node: at.node };
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

// ## delivery: the composer refuses a reply no channel can deliver (the reason shows above
// it; notes still go), hides the recipients for notes, counts down the undo window of held
// replies, and puts an undone reply's text back in the reply box.
(function () {
  "use strict";
  function $(selector, root) { return (root || document).querySelector(selector); }
  function $all(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }
  var form = $("#reply-form");

  function guard() {
    if (!form) { return; }
    var kind = $("input[name=kind]:checked", form);
    var note = kind && kind.value === "note";
    var why = form.getAttribute("data-unreachable") || "";
    var to = $("input[name=to]", form);
    var typed = to && to.value.trim() !== "";
    // Without the customer's address a reply may still go to an address the agent types.
    var blocked = !note && (why === "no_channel" || (why === "no_address" && !typed));
    var send = $("#reply-send", form);
    if (send) {
      send.disabled = blocked;
      send.setAttribute("aria-disabled", blocked ? "true" : "false");
    }
    var recipients = $(".reply-recipients", form);
    if (recipients) { recipients.hidden = note; }
    var reason = $(".reply-unreachable", form);
    if (reason) { reason.hidden = note; }
  }
  if (form) {
    form.addEventListener("change", guard);
    form.addEventListener("input", function (e) { if (e.target.name === "to") { guard(); } });
    document.body.addEventListener("tiski:sent", function () {
      var bcc = $("input[name=bcc]", form);
      if (bcc) { bcc.value = ""; }
      guard();
    });
    guard();
  }

  var refreshTimer = null;
  function tick() {
    var now = Date.now();
    $all("[data-undo-until]").forEach(function (box) {
      var until = Date.parse(box.getAttribute("data-undo-until"));
      var left = Math.ceil((until - now) / 1000);
      var label = $(".undo-countdown", box);
      if (left <= 0) {
        box.hidden = true;
        // The held mail is queued now: show its delivery state.
        if (!refreshTimer && window.htmx) {
          refreshTimer = setTimeout(function () {
            refreshTimer = null;
            window.htmx.trigger(document.body, "tiski:refresh-timeline");
          }, 1500);
        }
        return;
      }
      if (label) {
        var text = box.getAttribute("data-undo-text") || "{n} s";
        label.textContent = text.replace("{n}", String(left));
      }
    });
  }
  setInterval(tick, 500);
  document.body.addEventListener("htmx:afterSwap", function () {
    tick();
    var back = $("#undone-reply");
    var box = $("#reply-body");
    if (back && box && back.getAttribute("data-filled") === "1") {
      var undone = back.content ? back.content.textContent : back.textContent;
      if (box.isContentEditable) {
        // The composer's editor: the text goes back as lines, and the input event lets the
        // composer save it as the draft again.
        box.innerText = undone;
        box.dispatchEvent(new Event("input", { bubbles: true }));
      } else {
        box.value = undone;
      }
      back.setAttribute("data-filled", "0");
      var reply = $("input[name=kind][value=reply]");
      if (reply) { reply.checked = true; }
      box.focus();
      guard();
    }
  });
  tick();
})();

// ---- mailview: HTML mail frames (height, quoted text, remote images), the bulk bar's count,
// sorting by a column header. The mail frames run no script of their own (sandbox without
// allow-scripts); this page reaches into them only because they are same-origin.
(function () {
  "use strict";

  function $(selector, root) { return (root || document).querySelector(selector); }
  function $all(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }

  // Frames whose remote images the reader asked for, by their address, so a live refresh of
  // the timeline keeps them loaded.
  var remoteAllowed = {};

  function frameDoc(frame) {
    try { return frame.contentDocument; } catch (e) { return null; }
  }
  function fit(frame) {
    var doc = frameDoc(frame);
    if (!doc || !doc.documentElement) { return; }
    var height = Math.max(doc.documentElement.scrollHeight, doc.body ? doc.body.scrollHeight : 0);
    frame.style.height = Math.min(Math.max(height, 24), 20000) + "px";
  }
  function prepare(frame) {
    var base = frame.getAttribute("data-base") || frame.getAttribute("src");
    frame.setAttribute("data-base", base);
    if (remoteAllowed[base] && frame.getAttribute("src") === base) {
      frame.setAttribute("src", base + "?remote=1");
      var note = frame.parentNode && $(".remote-note", frame.parentNode);
      if (note) { note.hidden = true; }
    }
    var doc = frameDoc(frame);
    if (doc && doc.readyState === "complete") {
      fit(frame);
      // Images arriving later change the height.
      doc.addEventListener("load", function () { fit(frame); }, true);
    }
  }
  document.addEventListener("load", function (e) {
    var t = e.target;
    if (t && t.classList && t.classList.contains("mail-frame")) { prepare(t); }
  }, true);
  $all(".mail-frame").forEach(prepare);
  document.body.addEventListener("htmx:afterSwap", function () { $all(".mail-frame").forEach(prepare); });

  document.addEventListener("click", function (e) {
    var load = e.target.closest && e.target.closest("[data-load-remote]");
    if (load) {
      var box = load.closest(".mail-html");
      var frame = box && $(".mail-frame", box);
      if (frame) {
        remoteAllowed[frame.getAttribute("data-base") || frame.getAttribute("src")] = true;
        frame.setAttribute("src", load.getAttribute("data-load-remote"));
      }
      var note = load.closest(".remote-note");
      if (note) { note.hidden = true; }
      return;
    }
    var quote = e.target.closest && e.target.closest("[data-quote-toggle]");
    if (quote) {
      var holder = quote.closest(".mail-html");
      var mail = holder && $(".mail-frame", holder);
      var doc = mail && frameDoc(mail);
      if (!doc || !doc.body) { return; }
      var shown = doc.body.classList.toggle("quoted-shown");
      quote.setAttribute("aria-expanded", shown ? "true" : "false");
      quote.textContent = quote.getAttribute(shown ? "data-hide" : "data-show");
      fit(mail);
      return;
    }
    var header = e.target.closest && e.target.closest("button[data-sort]");
    if (header) { sortBy(header); }
  });

  // The bulk bar says how many rows are selected.
  function countSelected() {
    var n = $all("#inbox-rows input[name=ids]:checked").length;
    var label = $("#bulk-count");
    var selected = $("#bulk-selected");
    var number = $("#bulk-selected-n");
    if (!label || !selected || !number) { return; }
    number.textContent = n.toLocaleString(document.documentElement.lang || undefined);
    label.hidden = n > 0;
    selected.hidden = n === 0;
  }
  document.addEventListener("change", countSelected);
  document.body.addEventListener("htmx:afterSwap", countSelected);
  countSelected();

  // Sorting by a column header: the first click sorts the header's way (newest, most urgent
  // first), the next reverses it. The list comes from the same keyset-paged route as the menu.
  function markSorted(current) {
    $all("th[data-sort-key]").forEach(function (th) {
      var key = th.getAttribute("data-sort-key");
      var state = current === key ? "ascending" : current === "-" + key ? "descending" : "none";
      th.setAttribute("aria-sort", state);
    });
  }
  function sortBy(button) {
    var key = button.getAttribute("data-sort");
    var first = button.getAttribute("data-first") || key;
    var hidden = $("#bulk-sort");
    var current = hidden ? hidden.value : "";
    var next = current === first ? (first.charAt(0) === "-" ? first.slice(1) : "-" + first) : first;
    if (hidden) { hidden.value = next; }
    var menu = $("#sort");
    if (menu) {
      var option = $all("option", menu).filter(function (o) { return o.value === next; })[0];
      if (!option) {
        // A header's own order the menu does not list: shown by the header's name and way.
        $all("option[data-header-sort]", menu).forEach(function (o) { o.remove(); });
        option = document.createElement("option");
        option.value = next;
        option.setAttribute("data-header-sort", "");
        option.textContent = button.textContent.trim() + (next.charAt(0) === "-" ? " \u2193" : " \u2191");
        menu.appendChild(option);
      }
      menu.selectedIndex = option.index;
    }
    markSorted(next);
    var view = $("#bulk-form input[name=view]");
    if (window.htmx) {
      window.htmx.ajax("GET", "/ui/inbox/list?view=" + encodeURIComponent(view ? view.value : "mine") +
        "&sort=" + encodeURIComponent(next), { target: "#inbox-rows", swap: "outerHTML" });
    }
  }
  var sortState = $("#bulk-sort");
  if (sortState) { markSorted(sortState.value); }
  document.addEventListener("change", function (e) {
    if (e.target && e.target.id === "sort") { markSorted(e.target.value); }
  });
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
