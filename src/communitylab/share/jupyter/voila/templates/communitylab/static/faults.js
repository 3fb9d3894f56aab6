// Community Lab: tell the learner when the live part of a Voila page stops, and offer a reload.
//
// Voila's page shows nothing when its kernel dies or the server restarts: widgets turn into small
// broken-link icons and sliders do nothing. This script wraps the browser's WebSocket before Voila's
// code opens the kernel's channel, and watches that channel:
//   * a kernel status "restarting", "autorestarting" or "dead"  -> the kernel stopped;
//   * the channel closes -> ask the server about the kernel every few seconds:
//       no answer   -> the connection is lost (shown while retrying),
//       404         -> the kernel is gone (the server restarted, if it was unreachable before),
//       200         -> the kernel is fine; Voila reconnects by itself.
// The texts come from the course's message catalogs, embedded in the page (communitylabMessages).
(function () {
  'use strict';
  var FAULT_STATES = ['restarting', 'autorestarting', 'dead'];
  var PROBE_MS = 3000;
  var leaving = false;
  var shown = null;
  var probing = null;
  var wasUnreachable = false;

  window.addEventListener('beforeunload', function () { leaving = true; });
  window.addEventListener('pagehide', function () { leaving = true; });

  function config() {
    var element = document.getElementById('jupyter-config-data');
    try { return element ? JSON.parse(element.textContent) : {}; } catch (error) { return {}; }
  }

  function pageLang() {
    if (/\/zh\//.test(window.location.pathname)) { return 'zh_CN'; }
    var lang = (new URLSearchParams(window.location.search).get('lang') || '').toLowerCase();
    return lang.indexOf('zh') === 0 ? 'zh_CN' : 'en';
  }

  function show(kind) {
    if (leaving || shown === kind || (shown && shown !== 'offline')) { return; }
    var all = config().communitylabMessages || {};
    var texts = all[pageLang()] || all.en || {};
    var bar = document.getElementById('cl-fault') || document.createElement('div');
    bar.id = 'cl-fault';
    bar.setAttribute('role', 'alert');
    bar.className = 'cl-fault-' + kind;
    bar.textContent = '';
    var text = document.createElement('span');
    text.textContent = texts[kind] || '';
    bar.appendChild(text);
    if (kind !== 'offline') {
      var button = document.createElement('button');
      button.type = 'button';
      button.textContent = texts.reload || '\u27f3';
      button.addEventListener('click', function () { window.location.reload(); });
      bar.appendChild(button);
    }
    document.body.appendChild(bar);
    document.body.classList.add('cl-faulted');
    shown = kind;
  }

  function hideOffline() {
    if (shown === 'offline') {
      var bar = document.getElementById('cl-fault');
      if (bar) { bar.remove(); }
      document.body.classList.remove('cl-faulted');
      shown = null;
    }
  }

  function stopProbing() {
    if (probing) { window.clearInterval(probing); probing = null; }
  }

  function probe() {
    var cfg = config();
    if (!cfg.kernelId) { return; }
    var url = (cfg.baseUrl || '/') + 'api/kernels/' + encodeURIComponent(cfg.kernelId);
    fetch(url, { credentials: 'same-origin', cache: 'no-store' }).then(function (response) {
      if (response.status === 404 || response.status === 403) {
        stopProbing();
        show(wasUnreachable ? 'server_lost' : 'kernel_lost');
      } else if (response.ok) {
        hideOffline();
      }
    }, function () {
      wasUnreachable = true;
      show('offline');
    });
  }

  function startProbing() {
    if (!probing && !leaving) {
      probe();
      probing = window.setInterval(probe, PROBE_MS);
    }
  }

  // Jupyter's websocket protocol v1: offsets, then channel, header, parent header, metadata, content.
  function decodeStatus(data) {
    if (typeof data === 'string') {
      var msg = JSON.parse(data);
      return msg.msg_type === 'status' || (msg.header && msg.header.msg_type === 'status') ? msg.content : null;
    }
    if (!(data instanceof ArrayBuffer)) { return null; }
    var view = new DataView(data);
    var count = Number(view.getBigUint64(0, true));
    var offsets = [];
    for (var i = 0; i < count; i++) { offsets.push(Number(view.getBigUint64(8 * (i + 1), true))); }
    var decoder = new TextDecoder();
    var part = function (k) { return decoder.decode(new Uint8Array(data, offsets[k], offsets[k + 1] - offsets[k])); };
    var header = JSON.parse(part(1));
    return header.msg_type === 'status' ? JSON.parse(part(4)) : null;
  }

  function watch(socket) {
    socket.addEventListener('message', function (event) {
      try {
        var content = decodeStatus(event.data);
        if (content && FAULT_STATES.indexOf(content.execution_state) >= 0) { show('kernel_lost'); }
      } catch (error) { /* not a message we understand: not ours to judge */ }
    });
    socket.addEventListener('open', function () { stopProbing(); hideOffline(); });
    socket.addEventListener('close', function () { if (!leaving) { startProbing(); } });
  }

  var NativeWebSocket = window.WebSocket;
  function WatchedWebSocket(url, protocols) {
    var socket = protocols === undefined ? new NativeWebSocket(url) : new NativeWebSocket(url, protocols);
    if (/\/api\/kernels\/[^/]+\/channels/.test(String(url))) { watch(socket); }
    return socket;
  }
  WatchedWebSocket.prototype = NativeWebSocket.prototype;
  ['CONNECTING', 'OPEN', 'CLOSING', 'CLOSED'].forEach(function (name) { WatchedWebSocket[name] = NativeWebSocket[name]; });
  window.WebSocket = WatchedWebSocket;
})();
