/**
 * `tracker-anatomy explain '<announce URL>'`: one pasted URL (from a client log, a ticket, the
 * anatomy page) dissected parameter by parameter, with what the chosen rules would answer. Spaces
 * are removed first: pasted URLs are often wrapped, and a real announce URL never holds a space.
 */
import { buildFromRequest } from '../announce/build.js';
import { InputError } from '../errors.js';
import { TrackerReplay } from '../tracker/replay.js';
import { announceJson, stringify } from '../report/announce-json.js';
import { renderRequest, renderStep } from '../report/text-announce.js';
import { palette } from '../report/style.js';

export interface ExplainOptions {
  readonly rules: string;
  readonly format: string;
  readonly colour: boolean;
  readonly userAgent?: string;
  readonly announcePath?: RegExp;
}

/** The text (or JSON) explaining `url`; an URL that is not an announce is an InputError. */
export function explainUrl(url: string, o: ExplainOptions): string {
  const compact = url.replace(/\s+/g, '');
  const m = /^(?:[a-zA-Z][a-zA-Z0-9+.-]*:\/\/([^/?#]*))?(.*)$/.exec(compact)!;
  const authority = m[1] ?? '';
  let target = m[2] || '/';
  if (!target.startsWith('/')) target = '/' + target;
  // one char per byte, as a request line holds it
  const latin1 = Buffer.from(target, 'utf8').toString('latin1');
  const host = authority.replace(/^.*@/, '');
  const port = /:(\d+)$/.exec(host)?.[1];
  const rec = buildFromRequest(
    {
      origin: { file: 'explain', packet: null, line: null, offset: 0 }, ts: 0n, transport: 'http',
      client: { ip: '', port: 0 }, tracker: { ip: host.replace(/:\d+$/, ''), port: port ? Number(port) : 0 },
      method: 'GET', target: latin1, httpVersion: '',
      headers: o.userAgent ? [{ name: 'User-Agent', value: o.userAgent }] : [], reply: null,
    },
    { announcePath: o.announcePath },
  );
  if (rec === null) throw new InputError('explain.not-announce', `not an announce or scrape URL (the path must end in announce or announce.php; see --announce-path): ${compact.slice(0, 200)}`);
  if (rec.kind === 'scrape') return `a scrape request for ${rec.infoHashes.length} info_hash(es); scrapes change nothing on the tracker\n`;
  const replay = new TrackerReplay({ rules: o.rules });
  const step = replay.step(rec, 0);
  if (o.format === 'json' || o.format === 'jsonl') return stringify(announceJson(rec, step), 2) + '\n';
  const p = palette(o.colour);
  const lines = renderRequest(rec, p, new Set(), 'announce').slice(1); // no time or source line: it was pasted
  return [...lines, ...renderStep(step, p), ''].join('\n');
}
