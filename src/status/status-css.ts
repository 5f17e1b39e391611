// The status page's only style sheet, inlined in the page (no requests, no build step), and its hash for the
// Content-Security-Policy, which then allows this style sheet and nothing else: no scripts, no other styles.

import { createHash } from 'node:crypto';

export const STATUS_CSS = `
:root{color-scheme:light dark;--bg:#f5f6f8;--card:#fff;--text:#1c2330;--muted:#5d6675;--line:#e2e5ea;
--ok:#2e9b57;--minor:#d99a00;--major:#d63c3c;--maint:#3b7bd6;--partial:#e4692e;--none:#d0d5dc;--minor-text:#9a6500;--partial-text:#c2541c}
@media (prefers-color-scheme:dark){:root{--bg:#11141a;--card:#1a1f27;--text:#e5e8ee;--muted:#98a1b0;--line:#2a303a;
--ok:#3bb568;--minor:#e3b22e;--major:#ee5a5a;--maint:#5d9bf0;--partial:#f07b42;--none:#3a414c;--minor-text:var(--minor);--partial-text:var(--partial)}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--text);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{max-width:1240px;margin:0 auto;padding:28px 24px 24px}
header h1{font-size:1.7rem;margin:0}
header p{margin:4px 0 0;color:var(--muted)}
.private{display:inline-block;margin-top:8px;font-size:.8rem;border:1px solid var(--maint);color:var(--maint);
border-radius:10px;padding:0 8px}
.banner{margin:20px 0 28px;padding:14px 18px;border-radius:8px;color:#fff;font-size:1.15rem;font-weight:600}
section{margin:0 0 28px}
h2{font-size:1.05rem;margin:0 0 10px}
.card{background:var(--card);border:1px solid var(--line);border-radius:8px}
.item{padding:14px 18px}
.item+.item{border-top:1px solid var(--line)}
.head{display:flex;justify-content:space-between;align-items:baseline;gap:4px 16px;flex-wrap:wrap}
.name{font-weight:600;font-size:1.02rem}
.tag{font-size:.72rem;color:var(--muted);border:1px solid var(--line);border-radius:9px;padding:0 7px;margin-left:8px;vertical-align:2px}
.desc,.meta{color:var(--muted);font-size:.85rem;margin:2px 0 0}
.state{font-weight:600;font-size:.9rem}
.uptime{display:flex;flex-wrap:wrap;gap:2px 18px;margin:8px 0 0;padding:0;list-style:none;font-size:.85rem;color:var(--muted)}
.uptime b{color:var(--text);font-weight:600}
.uptime .warning b{color:var(--minor-text)}
.uptime .breached b{color:var(--major)}
.uptime small{font-size:.78rem}
.bars{display:flex;gap:2px;height:32px;margin-top:10px}
.bars span{flex:1 1 0;min-width:2px;border-radius:2px}
.bars span:hover{opacity:.65}
.bars span.before{opacity:.4}
.scale{display:flex;justify-content:space-between;color:var(--muted);font-size:.75rem;margin-top:3px}
.scale .short{display:none}
.checks{display:flex;flex-wrap:wrap;gap:6px;margin:10px 0 0;padding:0;list-style:none}
.checks li{font-size:.8rem;border:1px solid var(--line);border-radius:11px;padding:1px 9px 1px 7px}
.checks a{color:inherit;text-decoration:none}
.checks li:hover{border-color:var(--muted)}
.dot{display:inline-block;width:8px;height:8px;border-radius:50%;margin-right:5px}
.msg{margin:6px 0 0;font:.85rem/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;overflow-wrap:anywhere;
background:var(--bg);border-radius:4px;padding:6px 8px}
.empty{color:var(--muted);padding:14px 18px;margin:0}
.legend{display:flex;flex-wrap:wrap;gap:4px 14px;color:var(--muted);font-size:.78rem;margin:10px 2px 0;padding:0;list-style:none}
.legend span{display:inline-block;width:10px;height:10px;border-radius:2px;margin-right:5px;vertical-align:-1px}
.back{margin:0 0 12px;font-size:.9rem}
.back a,.ranges a{color:var(--maint)}
.banner .why{display:block;font-size:.9rem;font-weight:400;opacity:.9}
.banner.s-degraded{color:#1c2330}
.section-head{display:flex;justify-content:space-between;align-items:baseline;gap:12px}
.ranges{display:flex;gap:12px;font-size:.9rem}
.ranges span{font-weight:600}
.chart-card{padding:12px 14px}
.chart{display:block;width:100%;height:auto}
.chart .line{fill:none;stroke:var(--maint);stroke-width:2;stroke-linejoin:round}
.chart .dot-point{fill:var(--maint)}
.chart .grid{stroke:var(--line);stroke-width:1}
.chart .axis{fill:var(--muted);font-size:12px}
.chart .fail{fill:var(--major)}
.chart-note{color:var(--muted);font-size:.8rem;margin:6px 0 0}
.fail-key{display:inline-block;width:10px;height:5px;background:var(--major);vertical-align:2px}
.results{width:100%;border-collapse:collapse;font-size:.85rem}
.results th,.results td{text-align:left;padding:6px 14px;border-top:1px solid var(--line);vertical-align:top}
.results thead th{border-top:0;color:var(--muted);font-weight:600}
.results .num{text-align:right;white-space:nowrap}
.results th:nth-child(3){text-align:right}
.results td:first-child,.results td:nth-child(2){white-space:nowrap;width:1%}
.results th:nth-child(3),.results .num{width:1%}
.results .message{overflow-wrap:anywhere;color:var(--muted)}
footer{color:var(--muted);font-size:.8rem;text-align:center;margin-top:8px}
.ok,.s-operational{background:var(--ok)}
.minor,.s-degraded,.s-degraded_performance{background:var(--minor)}
.major,.s-down,.s-major_outage{background:var(--major)}
.s-partial_outage{background:var(--partial)}
.maintenance,.s-maintenance,.s-under_maintenance{background:var(--maint)}
.none,.s-unknown{background:var(--none)}
.banner.s-unknown{background:var(--muted)}
.banner.s-degraded_performance{color:#1c2330}
.t-operational{color:var(--ok)}
.t-degraded,.t-degraded_performance{color:var(--minor-text)}
.t-down,.t-major_outage{color:var(--major)}
.t-partial_outage{color:var(--partial-text)}
.t-maintenance,.t-under_maintenance{color:var(--maint)}
.t-unknown{color:var(--muted)}
@media (max-width:600px){main{padding-top:18px}.bars span:nth-child(-n+60){display:none}
.scale .long{display:none}.scale .short{display:inline}.item{padding:12px 14px}}
`;

export const STATUS_CSS_HASH = `sha256-${createHash('sha256').update(STATUS_CSS).digest('base64')}`;
