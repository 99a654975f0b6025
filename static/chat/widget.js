/*
 * Flowbuilder chat widget. Embed with one tag:
 *   <script src="https://YOUR-FLOWBUILDER/chat/widget.js" data-channel="TOKEN" async></script>
 * Optional: data-title="Chat with us", data-open="true" (start open).
 *
 * It draws a launcher button and a chat panel inside a shadow root (the host page's CSS cannot
 * reach it, and its CSS cannot reach the page), talks to /ws/chat/TOKEN/ over a WebSocket, keeps
 * the visitor id and the conversation id in localStorage (a reload continues the conversation),
 * shows replies and the typing indicator live and reconnects with a growing pause. Keyboard:
 * the launcher is a button, Esc closes the panel and gives focus back to the launcher, Enter
 * sends (Shift+Enter breaks the line). Screen readers: the messages are an aria-live log, the
 * input has a label, the typing and connection notes are a status region.
 * No dependencies, no build step, no third-party host: everything comes from the product.
 */
(function () {
  "use strict";

  var MAX_TEXT = 2000; // the server refuses longer messages (chat/consumers.py MAX_TEXT)
  var RETRY_MIN_MS = 1000;
  var RETRY_MAX_MS = 30000;

  function findScript() {
    if (document.currentScript && document.currentScript.getAttribute("data-channel")) {
      return document.currentScript;
    }
    var scripts = document.querySelectorAll("script[data-channel]");
    for (var i = 0; i < scripts.length; i++) {
      if (/\/chat\/widget\.js(\?|$)/.test(scripts[i].src) && !scripts[i].hasAttribute("data-flowbuilder-loaded")) {
        return scripts[i];
      }
    }
    return null;
  }

  var script = findScript();
  if (!script) return;
  script.setAttribute("data-flowbuilder-loaded", "");
  var token = script.getAttribute("data-channel") || "";
  if (!/^[A-Za-z0-9_-]{8,128}$/.test(token)) {
    if (window.console) console.warn("Flowbuilder chat: data-channel is missing or malformed.");
    return;
  }
  var base = new URL(script.src, document.baseURI);
  var prefix = base.pathname.replace(/chat\/widget\.js$/, "");
  var socketUrl = (base.protocol === "https:" ? "wss://" : "ws://") + base.host + prefix + "ws/chat/" + token + "/";
  var cssUrl = base.origin + prefix + "chat/widget.css";
  var storageKey = "flowbuilder-chat:" + token;

  // --- storage: the visitor id and the conversation id survive reloads --------------------
  var memoryStore = {};
  function load(name) {
    try {
      return window.localStorage.getItem(storageKey + ":" + name);
    } catch (e) {
      return memoryStore[name] || null; // storage blocked (private mode, sandboxed frame)
    }
  }
  function save(name, value) {
    try {
      if (value === null) window.localStorage.removeItem(storageKey + ":" + name);
      else window.localStorage.setItem(storageKey + ":" + name, value);
    } catch (e) {
      memoryStore[name] = value;
    }
  }
  function randomId() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    var bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }
  var visitorId = load("visitor");
  if (!visitorId || !/^[A-Za-z0-9-]{16,64}$/.test(visitorId)) {
    visitorId = randomId();
    save("visitor", visitorId);
  }
  var conversationId = load("conversation");

  // --- the DOM, in a shadow root --------------------------------------------------------------
  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) { node.setAttribute(name, attrs[name]); });
    if (text) node.textContent = text;
    return node;
  }

  function bubbleIcon() {
    // A speech bubble drawn inline: no icon font, no emoji the visitor's system may lack.
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("class", "fbc-launcher-icon");
    var path = document.createElementNS(ns, "path");
    path.setAttribute("d", "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z");
    path.setAttribute("fill", "currentColor");
    svg.appendChild(path);
    return svg;
  }

  var title = script.getAttribute("data-title") || "Chat with us";
  var host = el("div", { "data-flowbuilder-chat": token });
  var root = host.attachShadow ? host.attachShadow({ mode: "open" }) : host;
  root.appendChild(el("link", { rel: "stylesheet", href: cssUrl }));

  var launcher = el("button", {
    type: "button", class: "fbc-launcher", "aria-expanded": "false", "aria-controls": "fbc-panel",
    "data-testid": "chat-launcher",
  });
  launcher.appendChild(bubbleIcon());
  launcher.appendChild(el("span", { class: "fbc-launcher-label" }, title));

  var panel = el("section", {
    id: "fbc-panel", class: "fbc-panel", role: "dialog", "aria-modal": "false",
    "aria-labelledby": "fbc-title", hidden: "", "data-testid": "chat-panel",
  });
  var header = el("header", { class: "fbc-header" });
  var heading = el("h2", { id: "fbc-title", class: "fbc-title" }, title);
  var closeButton = el("button", { type: "button", class: "fbc-close", "aria-label": "Close chat", "data-testid": "chat-close" }, "\u00D7");
  header.appendChild(heading);
  header.appendChild(closeButton);

  var log = el("ol", {
    class: "fbc-log", role: "log", "aria-live": "polite", "aria-relevant": "additions",
    "aria-label": "Conversation", tabindex: "0", "data-testid": "chat-log",
  });
  var status = el("p", { class: "fbc-status", role: "status", "aria-live": "polite", "data-testid": "chat-status" });

  var form = el("form", { class: "fbc-form", "data-testid": "chat-form" });
  var label = el("label", { for: "fbc-input", class: "fbc-visually-hidden" }, "Your message");
  var input = el("textarea", {
    id: "fbc-input", class: "fbc-input", rows: "1", maxlength: String(MAX_TEXT),
    placeholder: "Type a message…", autocomplete: "off", "data-testid": "chat-input",
  });
  var send = el("button", { type: "submit", class: "fbc-send", "data-testid": "chat-send" }, "Send");
  form.appendChild(label);
  form.appendChild(input);
  form.appendChild(send);

  panel.appendChild(header);
  panel.appendChild(log);
  panel.appendChild(status);
  panel.appendChild(form);
  root.appendChild(panel);
  root.appendChild(launcher);

  // --- the conversation as shown ----------------------------------------------------------------
  var shown = {}; // message id -> <li>
  var pending = []; // texts typed while the socket was down, sent once it is back

  function appendMessage(message) {
    if (message.id && shown[message.id]) return;
    var kind = { in: ["fbc-mine", "You: "], out: ["fbc-theirs", "Reply: "] }[message.direction] || ["fbc-error", "Error: "];
    var item = el("li", { class: "fbc-message " + kind[0], "data-direction": message.direction });
    item.appendChild(el("span", { class: "fbc-visually-hidden" }, kind[1])); // "in": the visitor wrote it
    item.appendChild(el("span", { class: "fbc-text" }, String(message.text || "")));
    if (message.id) shown[message.id] = item;
    log.appendChild(item);
    log.scrollTop = log.scrollHeight;
    return item;
  }

  function replaceTranscript(messages) {
    shown = {};
    while (log.firstChild) log.removeChild(log.firstChild);
    messages.forEach(appendMessage);
  }

  var typingTimer = null;
  function setTyping(on) {
    clearTimeout(typingTimer);
    panel.setAttribute("data-typing", on ? "true" : "false");
    status.textContent = on ? "Typing…" : connectionNote;
    // A lost "off" must not leave the indicator on for ever.
    if (on) typingTimer = setTimeout(function () { setTyping(false); }, 60000);
  }

  var connectionNote = "";
  function setConnection(state, note) {
    panel.setAttribute("data-connection", state);
    connectionNote = note || "";
    status.textContent = connectionNote;
  }

  // --- the socket -------------------------------------------------------------------------------
  var socket = null;
  var ready = false;
  var retryMs = RETRY_MIN_MS;
  var retryTimer = null;
  var stopped = false;

  function transmit(frame) {
    socket.send(JSON.stringify(frame));
  }

  function connect() {
    if (stopped) return;
    ready = false;
    setConnection("connecting", socket ? "Reconnecting…" : "Connecting…");
    try {
      socket = new WebSocket(socketUrl);
    } catch (e) {
      scheduleReconnect();
      return;
    }
    socket.onopen = function () {
      transmit({ type: "hello", visitor_id: visitorId, conversation_id: conversationId });
    };
    socket.onmessage = function (event) {
      var frame;
      try {
        frame = JSON.parse(event.data);
      } catch (e) {
        return;
      }
      handle(frame);
    };
    socket.onclose = function (event) {
      ready = false;
      if (event.code === 4404 || event.code === 4403) {
        stopped = true; // unknown channel or a site the channel does not allow: retrying cannot help
        setConnection("closed", "Chat is not available here.");
        return;
      }
      scheduleReconnect();
    };
  }

  function scheduleReconnect() {
    if (stopped) return;
    setConnection("connecting", "Reconnecting…");
    clearTimeout(retryTimer);
    retryTimer = setTimeout(connect, retryMs + Math.floor(Math.random() * 500));
    retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
  }

  function remember(id) {
    if (id && id !== conversationId) {
      conversationId = id;
      save("conversation", id);
      panel.setAttribute("data-conversation", id);
    }
  }

  function handle(frame) {
    if (!frame || typeof frame !== "object") return;
    if (frame.type === "ready") {
      ready = true;
      retryMs = RETRY_MIN_MS;
      if (frame.title) heading.textContent = frame.title;
      if (frame.conversation_id) remember(frame.conversation_id);
      else if (conversationId) {
        conversationId = null; // the stored conversation is gone (closed, deleted): start afresh
        save("conversation", null);
      }
      var messages = Array.isArray(frame.messages) ? frame.messages : [];
      if (!messages.length && frame.greeting) messages = [{ id: "greeting", direction: "out", text: frame.greeting }];
      replaceTranscript(messages);
      setConnection("open", "");
      setTyping(false);
      while (pending.length) transmit({ type: "message", text: pending.shift() });
    } else if (frame.type === "message" && frame.message) {
      remember(frame.message.conversation_id);
      appendMessage(frame.message);
      if (frame.message.direction === "out") {
        setTyping(false);
        if (panel.hidden) launcher.setAttribute("data-unread", "true");
      }
    } else if (frame.type === "typing") {
      setTyping(Boolean(frame.on));
    } else if (frame.type === "conversation") {
      remember(frame.conversation_id);
    } else if (frame.type === "error") {
      appendMessage({ direction: "error", text: String(frame.message || "Something went wrong.") });
      setTyping(false);
    }
  }

  // --- opening, closing, sending --------------------------------------------------------------
  function open() {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    launcher.removeAttribute("data-unread");
    host.setAttribute("data-open", "true");
    if (!socket) connect();
    input.focus();
  }

  function close() {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    host.setAttribute("data-open", "false");
    launcher.focus();
  }

  launcher.addEventListener("click", function () {
    if (panel.hidden) open();
    else close();
  });
  closeButton.addEventListener("click", close);
  panel.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    }
  });
  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submit();
    }
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    submit();
  });

  function submit() {
    var text = input.value.trim();
    if (!text) return;
    input.value = "";
    if (ready && socket && socket.readyState === WebSocket.OPEN) transmit({ type: "message", text: text });
    else {
      pending.push(text);
      appendMessage({ direction: "in", text: text }).setAttribute("data-pending", "true");
    }
    input.focus();
  }

  function mount() {
    document.body.appendChild(host);
    // The socket opens with the panel: a page view that never chats costs the server nothing.
    if (script.getAttribute("data-open") === "true") open();
  }
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);
})();
