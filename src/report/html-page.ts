/**
 * The frame of the HTML report: escaping, the document head with its inline style sheet, and small
 * markup helpers shared by the other html-*.ts files. The page is meant to be attached to a support
 * ticket and opened anywhere, so it loads nothing: no scripts, fonts, images or links to the network,
 * and its Content-Security-Policy forbids them, so even a mistake cannot make the page phone home.
 */
import { sanitize } from './sanitize.js';

/** The entity of each char code that needs one (&, <, >, ", '), else undefined. */
const ENTITY: (string | undefined)[] = [];
ENTITY[0x26] = '&amp;';
ENTITY[0x3c] = '&lt;';
ENTITY[0x3e] = '&gt;';
ENTITY[0x22] = '&quot;';
ENTITY[0x27] = '&#39;';

/**
 * Escapes text for HTML element content and quoted attribute values (&, <, >, ", '). Called for
 * nearly every piece of every announce, and most pieces need nothing: a char scan that returns the
 * same string is several times cheaper than a global regex replace with a callback.
 */
export function esc(text: string): string {
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c <= 0x3e && ENTITY[c] !== undefined) return escFrom(text, i);
  }
  return text;
}

/** esc() from `i`, the first char that needs an entity. */
function escFrom(text: string, i: number): string {
  let out = '';
  let start = 0;
  for (const n = text.length; i < n; i++) {
    const c = text.charCodeAt(i);
    const e = c <= 0x3e ? ENTITY[c] : undefined;
    if (e === undefined) continue;
    out += text.slice(start, i) + e;
    start = i + 1;
  }
  return out + text.slice(start);
}

/**
 * Text from the wire (peer_ids, URLs, user agents, failure texts) for HTML: control characters made
 * visible first (a NUL or a bidi override in a peer_id must not hide or reorder what the page says),
 * then escaped.
 */
export function wire(text: string): string {
  return esc(sanitize(text));
}

/** The severity of a finding as a badge; `severity` is one of info, warning, error. */
export function badge(severity: string, text: string): string {
  return `<span class="badge ${severityClass(severity)}">${esc(text)}</span>`;
}

/** The CSS class of a severity (unknown severities are shown as info). */
export function severityClass(severity: string): string {
  return severity === 'error' ? 'sev-error' : severity === 'warning' ? 'sev-warning' : 'sev-info';
}

/** A table from rows of already-escaped cells. `numeric` marks right-aligned columns by index. */
export function htmlTable(head: readonly string[], rows: readonly (readonly string[])[], numeric: readonly number[] = []): string {
  return tableHead(head, numeric) + rows.map((r) => tableRow(r, numeric)).join('') + '</tbody></table>';
}

/** A table's opening up to its body: htmlTable in parts, for a table whose rows are written as they come. */
export function tableHead(head: readonly string[], numeric: readonly number[] = []): string {
  return `<table><thead><tr>${head.map((h, i) => `<th${align(numeric, i)}>${esc(h)}</th>`).join('')}</tr></thead><tbody>`;
}

/** One row of cells (HTML already) of a table made by tableHead. */
export function tableRow(cells: readonly string[], numeric: readonly number[] = []): string {
  return `<tr>${cells.map((c, i) => `<td${align(numeric, i)}>${c}</td>`).join('')}</tr>`;
}

function align(numeric: readonly number[], i: number): string {
  return numeric.includes(i) ? ' class="num"' : '';
}

// Colours of the chart series are also used by the legend and the tables, so they live here once.
const STYLE = `
:root{--fg:#1d2330;--dim:#5d6677;--line:#d5dae3;--bg:#fff;--panel:#f6f8fb;--up:#1f77b4;--down:#2ca02c;--left:#9467bd;
--info:#2b6cb0;--warning:#b7791f;--error:#c53030;--good:#2f855a}
*{box-sizing:border-box}
body{margin:0;padding:24px 32px;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:var(--fg);background:var(--bg)}
h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 6px}h3{font-size:15px;margin:18px 0 6px}
code,.mono{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,"Liberation Mono",monospace;font-size:12.5px}
.dim{color:var(--dim)}
.session{border-top:3px solid var(--line);margin-top:28px;padding-top:4px}
.meta{color:var(--dim);margin:0 0 8px}
.chart{width:100%;max-width:1100px;height:auto;display:block;background:var(--panel);border:1px solid var(--line);border-radius:4px}
.chart text{font:11px system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;fill:var(--fg)}
.chart .axis{stroke:#8a93a3;stroke-width:1}.chart .grid{stroke:var(--line);stroke-width:1}
.chart .tick{fill:var(--dim)}
.chart .s-up{stroke:var(--up)}.chart .s-down{stroke:var(--down)}.chart .s-left{stroke:var(--left)}
.chart polyline{fill:none;stroke-width:2}
.chart .pt{stroke-width:1.5}.chart .pt.s-up{fill:var(--up)}.chart .pt.s-down{fill:var(--down)}.chart .pt.s-left{fill:var(--left)}
.chart .pt.refused{fill:#fff;stroke:var(--error)}
.chart .ev{stroke:#4a5568;stroke-width:1;stroke-dasharray:4 3}.chart .ev-label{font-weight:600}
.chart .an.sev-info{fill:var(--info)}.chart .an.sev-warning{fill:var(--warning)}.chart .an.sev-error{fill:var(--error)}
.chart .an-label.sev-info{fill:var(--info)}.chart .an-label.sev-warning{fill:var(--warning)}.chart .an-label.sev-error{fill:var(--error)}
.legend{display:flex;flex-wrap:wrap;gap:14px;margin:6px 0 12px;color:var(--dim);font-size:12.5px}
.legend i{display:inline-block;width:18px;height:3px;vertical-align:middle;margin-right:5px}
.legend .k-up{background:var(--up)}.legend .k-down{background:var(--down)}.legend .k-left{background:var(--left)}
.legend .k-ev{border-top:1px dashed #4a5568;height:0}.legend .k-ref{width:9px;height:9px;border:1.5px solid var(--error);border-radius:50%}
.legend .k-an{width:0;height:0;border-left:5px solid transparent;border-right:5px solid transparent;border-top:9px solid var(--warning)}
details.announce{border:1px solid var(--line);border-radius:4px;margin:8px 0;background:#fff}
details.announce>summary{cursor:pointer;padding:6px 10px;background:var(--panel);list-style-position:inside}
details.announce>div{padding:6px 12px 10px}
.request{word-break:break-all;margin:4px 0}
table{border-collapse:collapse;margin:6px 0 10px}
th,td{border:1px solid var(--line);padding:3px 8px;text-align:left;vertical-align:top}
th{background:var(--panel);font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
table.params td:nth-child(2){word-break:break-all}
table.params td:first-child{white-space:nowrap}
dl.kv{display:grid;grid-template-columns:max-content 1fr;gap:3px 14px;margin:6px 0}
dl.kv dt{color:var(--dim)}dl.kv dd{margin:0}
ul.notes{margin:4px 0;padding-left:20px}
.badge{display:inline-block;padding:0 6px;border-radius:3px;font-size:12px;font-weight:600;color:#fff;white-space:nowrap}
.badge.sev-info{background:var(--info)}.badge.sev-warning{background:var(--warning)}.badge.sev-error{background:var(--error)}
.good{color:var(--good)}.warn{color:var(--warning)}.bad{color:var(--error)}
.end{background:var(--panel);border:1px solid var(--line);border-radius:4px;padding:8px 12px;margin:10px 0}
@media print{details.announce>summary{list-style:none}body{padding:0}}
`;

/** The document up to the opening of <main>; `title` and `subtitle` are plain text. */
export function pageStart(title: string, subtitle: string): string {
  return '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
    // nothing may load from anywhere: the page is a self-contained attachment
    + '<meta http-equiv="Content-Security-Policy" content="default-src \'none\'; style-src \'unsafe-inline\'">\n'
    + '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
    + `<title>${esc(title)}</title>\n<style>${STYLE}</style>\n</head>\n<body>\n`
    + `<header><h1>${esc(title)}</h1><p class="meta">${esc(subtitle)}</p></header>\n<main>\n`;
}

/** Closes what pageStart opened. */
export function pageEnd(): string {
  return '</main>\n</body>\n</html>\n';
}
