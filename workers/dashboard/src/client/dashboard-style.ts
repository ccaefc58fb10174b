export const DASHBOARD_FAVICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#1d2330"/><path d="M4 5h8M4 8h8M4 11h5" stroke="#fff" stroke-width="1.6"/></svg>`;

export const DASHBOARD_STYLE = `
:root { font-family: system-ui, sans-serif; color: #1d2330; background: #f5f6f8; }
body { margin: 0; }
header { display: flex; gap: 1rem; align-items: center; padding: 0.75rem 1.25rem; background: #1d2330; color: #fff; }
header h1 { font-size: 1.1rem; margin: 0; flex: 1; }
header form { margin: 0; }
button { font: inherit; padding: 0.4rem 0.9rem; border-radius: 6px; border: 1px solid #aab; background: #fff; cursor: pointer; }
main { display: grid; grid-template-columns: minmax(0, 1.3fr) minmax(0, 1fr); gap: 1rem; padding: 1rem 1.25rem; }
#live-status { font-size: 0.85rem; padding: 0.15rem 0.6rem; border-radius: 999px; background: #555; }
#live-status[data-state="live"] { background: #1f7a3f; }
#ticket-list { list-style: none; margin: 0; padding: 0; background: #fff; border-radius: 8px; overflow: hidden; }
.ticket { display: grid; grid-template-columns: 1fr auto; gap: 0.15rem 1rem; padding: 0.7rem 1rem; border-bottom: 1px solid #e4e6eb; cursor: pointer; }
.ticket:hover, .ticket:focus { background: #eef3ff; outline: none; }
.ticket-subject { font-weight: 600; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.ticket-customer, .ticket-category, .ticket-time { color: #5a6172; font-size: 0.85rem; }
.sentiment { grid-row: 1 / span 2; grid-column: 2; align-self: center; font-size: 0.8rem; padding: 0.2rem 0.6rem; border-radius: 999px; background: #e4e6eb; }
.sentiment-negative { background: #fde2e1; color: #9b1c1c; }
.sentiment-positive { background: #dcf5e3; color: #17603a; }
.sentiment-neutral { background: #eceff3; color: #3d4451; }
#ticket-detail { background: #fff; border-radius: 8px; padding: 1rem 1.25rem; min-height: 10rem; }
.detail-body { white-space: pre-wrap; word-break: break-word; font: inherit; }
.empty-note { background: #fff; border-radius: 8px; padding: 1rem; color: #5a6172; margin: 0 0 0.5rem; }
.empty-note[hidden] { display: none; }
.login { max-width: 22rem; margin: 12vh auto; background: #fff; padding: 2rem; border-radius: 10px; }
.login label { display: block; margin: 0.8rem 0 0.3rem; }
.login input { width: 100%; box-sizing: border-box; padding: 0.5rem; font: inherit; }
.login button { margin-top: 1.2rem; width: 100%; }
.error { color: #9b1c1c; }
`;
