/** The one stylesheet, served at /assets/keyturn.css so pages need no inline styles (strict CSP). */
export const STYLESHEET = `
:root{--bg:#f6f7f9;--card:#fff;--ink:#1c2430;--muted:#5b6676;--line:#e3e7ee;--brand:#2453d6;--brand-ink:#fff;--bad:#b42318;--bad-bg:#fef3f2;--ok:#067647;--ok-bg:#ecfdf3;--radius:12px}
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Ubuntu,sans-serif;background:var(--bg);color:var(--ink)}
a{color:var(--brand)}
.top{display:flex;align-items:center;justify-content:space-between;padding:14px 24px;background:var(--card);border-bottom:1px solid var(--line)}
.brand{display:inline-flex;align-items:center;gap:8px;font-weight:700;font-size:18px;color:var(--ink);text-decoration:none;letter-spacing:.2px}
/* The brand mark is drawn here (a keyhole on a tile): the glyph in the markup is only a fallback many fonts lack. */
.logo{display:inline-block;position:relative;flex:none;width:24px;height:24px;border-radius:7px;background:var(--brand);font-size:0;color:transparent;overflow:hidden}
.logo::before{content:"";position:absolute;left:8px;top:5px;width:8px;height:8px;border-radius:50%;background:#fff}
.logo::after{content:"";position:absolute;left:10px;top:10px;width:4px;height:9px;border-radius:1px;background:#fff}
.nav{display:flex;gap:16px;align-items:center}
.main{max-width:880px;margin:40px auto;padding:0 20px}
.card{background:var(--card);border:1px solid var(--line);border-radius:var(--radius);padding:28px;box-shadow:0 1px 2px rgba(16,24,40,.04)}
.narrow{max-width:420px;margin:0 auto}
h1{font-size:26px;line-height:1.25;margin:0 0 8px}
h2{font-size:18px;margin:28px 0 12px}
.lead{color:var(--muted);margin:0 0 24px}
label{display:block;font-weight:600;font-size:14px;margin:16px 0 6px}
input[type=email],input[type=password],input[type=text]{width:100%;padding:11px 12px;border:1px solid #cfd6e1;border-radius:8px;font:inherit;background:#fff}
input:focus{outline:2px solid transparent;border-color:var(--brand);box-shadow:0 0 0 3px rgba(36,83,214,.18)}
.btn:focus-visible{outline:2px solid var(--brand);outline-offset:2px}
.btn{display:inline-block;border:0;border-radius:8px;padding:11px 18px;font:inherit;font-weight:600;cursor:pointer;text-decoration:none;background:var(--brand);color:var(--brand-ink)}
.btn.block{width:100%;margin-top:22px}
.btn.secondary{background:#fff;color:var(--ink);border:1px solid #cfd6e1}
.btn.danger{background:#fff;color:var(--bad);border:1px solid #f1b5ae}
.btn.small{padding:6px 12px;font-size:14px}
button.link{background:none;border:0;padding:0;color:var(--brand);font:inherit;cursor:pointer;text-decoration:underline}
.inline{display:inline}
.alert{border-radius:8px;padding:12px 14px;margin:0 0 16px;font-size:15px}
.alert.bad{background:var(--bad-bg);color:var(--bad);border:1px solid #fecdca}
.alert.ok{background:var(--ok-bg);color:var(--ok);border:1px solid #abefc6}
.muted{color:var(--muted)}
.foot{text-align:center;color:var(--muted);font-size:13px;padding:32px 0}
table{width:100%;border-collapse:collapse;font-size:15px}
th,td{text-align:left;padding:12px 10px;border-bottom:1px solid var(--line);vertical-align:top}
th{font-size:13px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);font-weight:600}
code{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,monospace;background:#eef1f6;padding:2px 5px;border-radius:5px}
@media (max-width:640px){.main{margin:20px auto}.card{padding:20px}table thead{display:none}table,tbody,tr,td{display:block;width:100%}tr{border-bottom:1px solid var(--line);padding:8px 0}td{border:0;padding:4px 0}td[data-label]::before{content:attr(data-label) ": ";font-weight:600;color:var(--muted)}}
/* Account page: sessions and devices */
.page-head{margin:0 0 20px}
.page-head .lead{margin:0}
.main>.card+.card{margin-top:20px}
.card-title{display:flex;align-items:center;gap:8px;font-size:17px;margin:0 0 4px}
.card-lead{margin:0 0 14px;font-size:15px}
.count{display:inline-block;min-width:24px;padding:1px 8px;border-radius:999px;background:#eef1f6;color:var(--muted);font-size:13px;font-weight:600;text-align:center}
.sessions{list-style:none;margin:0;padding:0}
.session{display:flex;gap:16px;align-items:flex-start;padding:18px 0;border-top:1px solid var(--line)}
.card>.session{border-top:0;padding-bottom:0}
.avatar{flex:none;display:flex;align-items:center;justify-content:center;width:40px;height:40px;border-radius:10px;background:#e8eefc;color:var(--brand);font-weight:700;font-size:17px}
.avatar.current{background:var(--ok-bg);color:var(--ok)}
.session-main{flex:1;min-width:0}
.session-title{display:flex;flex-wrap:wrap;align-items:center;gap:4px 8px;margin:0;font-weight:600;font-size:16px;overflow-wrap:anywhere}
.session-sub{margin:2px 0 0;color:var(--muted);font-size:14px;overflow-wrap:anywhere}
.badge{display:inline-block;padding:1px 8px;border-radius:999px;background:#e8eefc;color:var(--brand);font-size:12px;font-weight:600}
.badge.ok{background:var(--ok-bg);color:var(--ok)}
.meta{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:10px 20px;margin:12px 0 0}
.meta div{min-width:0}
.meta dt{font-size:12px;text-transform:uppercase;letter-spacing:.04em;color:var(--muted);font-weight:600}
.meta dd{margin:2px 0 0;font-size:14px}
.meta time{display:block;font-weight:600}
.exact{display:block;color:var(--muted);font-size:13px}
.scope{margin:10px 0 0;font-size:13px;color:var(--muted)}
.scope code{font-size:12px;margin-right:2px}
.session-action{flex:none;margin:0}
.empty{padding:28px 12px 12px;text-align:center}
.empty-title{margin:0 0 4px;font-weight:600}
.empty .muted{margin:0 auto;max-width:420px;font-size:15px}
.btn.danger:hover{background:var(--bad-bg)}
.btn.danger-solid{background:var(--bad);color:#fff}
.danger-zone{border-color:#f5d0cb}
.confirm{margin-top:4px}
.confirm summary{list-style:none;display:inline-block}
.confirm summary::-webkit-details-marker{display:none}
.confirm[open] summary{display:none}
.confirm-body{padding:14px;border:1px solid #fecdca;border-radius:8px;background:var(--bad-bg)}
.confirm-body p{margin:0 0 12px}
@media (max-width:640px){.page-head h1{font-size:22px}.session{flex-wrap:wrap;gap:12px}.session-main{flex-basis:calc(100% - 56px)}.session-action{width:100%}.session-action .btn{width:100%;padding:10px}.meta{grid-template-columns:1fr 1fr}}
/* Account page: when an app must be signed in again */
.renew{margin:10px 0 0;font-size:14px;color:var(--muted)}
.renew strong{color:var(--ink)}
.renew.soon,.renew.soon strong{color:var(--bad)}
/* Device sign-in (/device) */
.device h1{overflow-wrap:anywhere}
.small{font-size:14px}
.signed-in-as{margin:22px 0 0;padding-top:16px;border-top:1px solid var(--line)}
input.code-input{font:600 22px/1.2 ui-monospace,SFMono-Regular,Menlo,monospace;letter-spacing:.12em;text-transform:uppercase;text-align:center}
input.code-input::placeholder{color:#aab3c0;letter-spacing:.12em}
.user-code{display:flex;align-items:center;justify-content:space-between;gap:12px;margin:0;padding:12px 16px;border:1px dashed #b8c2d3;border-radius:8px;background:#f8fafc}
.user-code strong{font:700 24px/1.2 ui-monospace,SFMono-Regular,Menlo,monospace;letter-spacing:.12em}
.asks{margin:20px 0 0}
.asks-title{margin:0;overflow-wrap:anywhere}
.scopes{list-style:none;margin:10px 0 0;padding:0}
.scopes li{display:flex;flex-wrap:wrap;justify-content:space-between;gap:4px 12px;align-items:baseline;padding:8px 0;border-top:1px solid var(--line);font-size:15px}
.scopes li:first-child{border-top:0}
.scopes span+code{margin-left:auto}
.keeps{margin:12px 0 0;font-size:14px}
.choices{display:flex;gap:12px;margin-top:24px}
.choices .btn{flex:1;border:1px solid var(--brand)}
.choices .btn.secondary{border-color:#cfd6e1}
@media (max-width:640px){.choices{flex-direction:column}.user-code strong{font-size:22px}}
`;
