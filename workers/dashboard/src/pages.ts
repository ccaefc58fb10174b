import { html } from "hono/html";

/**
 * Server-rendered HTML is only the frame. Hono's `html` template escapes every
 * interpolated value; ticket text never passes through here at all.
 */

export function renderLoginPage(options: { error?: string; email?: string } = {}) {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>Sign in · Tickets</title>
        <link rel="stylesheet" href="/assets/dashboard.css" />
        <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml" />
      </head>
      <body>
        <form class="login" method="post" action="/login">
          <h1>Sign in</h1>
          ${options.error ? html`<p class="error" role="alert">${options.error}</p>` : ""}
          <label for="email">Email</label>
          <input
            id="email"
            name="email"
            type="email"
            autocomplete="username"
            required
            value="${options.email ?? ""}"
          />
          <label for="password">Password</label>
          <input
            id="password"
            name="password"
            type="password"
            autocomplete="current-password"
            required
          />
          <button type="submit">Sign in</button>
        </form>
      </body>
    </html>`;
}

export function renderTicketsPage(agentEmail: string) {
  return html`<!doctype html>
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>Tickets</title>
        <link rel="stylesheet" href="/assets/dashboard.css" />
        <link rel="icon" href="/assets/favicon.svg" type="image/svg+xml" />
        <script src="/assets/dashboard.js" defer></script>
      </head>
      <body>
        <header>
          <h1>Tickets (<span id="ticket-count">0</span>)</h1>
          <span id="live-status" data-state="connecting">connecting</span>
          <span>${agentEmail}</span>
          <form method="post" action="/logout"><button type="submit">Sign out</button></form>
        </header>
        <main>
          <div>
            <p id="no-tickets" class="empty-note">
              No tickets yet. New ones appear here as they arrive.
            </p>
            <ul id="ticket-list" aria-label="Tickets"></ul>
          </div>
          <section id="ticket-detail" aria-live="polite">
            <p>Select a ticket to read it.</p>
          </section>
        </main>
      </body>
    </html>`;
}
