/**
 * The dashboard's browser code, served as /assets/dashboard.js under a CSP that allows
 * no inline script. Every piece of ticket text reaches the page through textContent or
 * a text node, never innerHTML, so markup in a ticket (or in a model's answer) stays text.
 */
export const DASHBOARD_SCRIPT = String.raw`"use strict";
(() => {
  const PING_INTERVAL_MS = 25000;
  const MAX_RECONNECT_DELAY_MS = 15000;
  const list = document.getElementById("ticket-list");
  const count = document.getElementById("ticket-count");
  const liveStatus = document.getElementById("live-status");
  const detail = document.getElementById("ticket-detail");
  const rows = new Map();
  const emptyNote = document.getElementById("no-tickets");
  let reconnectDelay = 500;

  function element(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined && text !== null) node.textContent = String(text);
    return node;
  }

  function setSentiment(badge, sentiment) {
    badge.className = "sentiment " + (sentiment ? "sentiment-" + sentiment.label : "sentiment-pending");
    badge.textContent = sentiment ? sentiment.label : "analysing…";
    badge.title = sentiment ? "score " + Number(sentiment.score).toFixed(2) + " (" + sentiment.analyzer + ")" : "";
    badge.dataset.label = sentiment ? sentiment.label : "pending";
  }

  function upsertTicket(ticket, position) {
    let row = rows.get(ticket.id);
    if (!row) {
      row = element("li", "ticket");
      row.dataset.ticketId = ticket.id;
      row.tabIndex = 0;
      row.append(
        element("span", "ticket-subject"),
        element("span", "ticket-customer"),
        element("span", "ticket-category"),
        element("time", "ticket-time"),
        element("span", "sentiment"),
      );
      row.addEventListener("click", () => showTicket(ticket.id));
      row.addEventListener("keydown", (event) => { if (event.key === "Enter") showTicket(ticket.id); });
      rows.set(ticket.id, row);
      if (position === "top") list.prepend(row); else list.append(row);
    }
    row.querySelector(".ticket-subject").textContent = ticket.subject;
    row.querySelector(".ticket-customer").textContent = ticket.customerName;
    row.querySelector(".ticket-category").textContent = ticket.category || "";
    const time = row.querySelector(".ticket-time");
    time.dateTime = ticket.receivedAt;
    time.textContent = new Date(ticket.receivedAt).toLocaleString();
    setSentiment(row.querySelector(".sentiment"), ticket.sentiment);
    count.textContent = String(rows.size);
    emptyNote.hidden = true;
  }

  function updateSentiment(update) {
    const row = rows.get(update.id);
    if (row) setSentiment(row.querySelector(".sentiment"), update.sentiment);
  }

  async function loadTickets() {
    const response = await fetch("/api/tickets", { credentials: "same-origin" });
    if (response.status === 401) { location.assign("/login"); return; }
    if (!response.ok) throw new Error("could not load tickets: " + response.status);
    const body = await response.json();
    for (const ticket of body.tickets) upsertTicket(ticket, "bottom");
  }

  async function showTicket(id) {
    const response = await fetch("/api/tickets/" + encodeURIComponent(id), { credentials: "same-origin" });
    detail.replaceChildren();
    if (!response.ok) { detail.append(element("p", "error", "This ticket could not be opened.")); return; }
    const { ticket } = await response.json();
    const sentiment = ticket.sentiment
      ? ticket.sentiment.label + " (score " + Number(ticket.sentiment.score).toFixed(2) + ")"
      : "not analysed yet";
    detail.append(
      element("h2", "detail-subject", ticket.subject),
      element("p", "detail-customer", ticket.customerName + " <" + ticket.customerEmail + ">"),
      element("p", "detail-meta", (ticket.category || "") + " · merchant id " + ticket.externalId),
      element("p", "detail-meta", "Received " + new Date(ticket.receivedAt).toLocaleString() + " · sentiment " + sentiment),
      element("pre", "detail-body", ticket.body),
    );
  }

  function setLive(state) {
    liveStatus.textContent = state;
    liveStatus.dataset.state = state;
  }

  function connect() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    const socket = new WebSocket(scheme + "//" + location.host + "/api/live");
    let pinger;
    socket.addEventListener("open", () => {
      setLive("live");
      reconnectDelay = 500;
      pinger = setInterval(() => socket.send("ping"), PING_INTERVAL_MS);
    });
    socket.addEventListener("message", (event) => {
      if (event.data === "pong") return;
      let message;
      try { message = JSON.parse(event.data); } catch { return; }
      if (message.type === "ticket.created") upsertTicket(message.ticket, "top");
      else if (message.type === "ticket.updated") updateSentiment(message.ticket);
    });
    socket.addEventListener("close", () => {
      clearInterval(pinger);
      setLive("offline");
      setTimeout(() => { loadTickets().catch(() => {}); connect(); }, reconnectDelay);
      reconnectDelay = Math.min(reconnectDelay * 2, MAX_RECONNECT_DELAY_MS);
    });
  }

  setLive("connecting");
  loadTickets().catch(() => setLive("error")).finally(connect);
})();
`;
