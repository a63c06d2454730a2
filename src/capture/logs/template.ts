/**
 * A log format compiled from a template (nginx `log_format`, Apache `LogFormat`): literals and
 * fields become one anchored RegExp, and each field has a role in the LogRequest. Field patterns
 * exclude the closing quote inside quoted fields, so matching stays linear on long lines.
 */
import { InputError } from '../../errors.js';
import { firstForwarded, splitRequestLine } from './request-line.js';
import { parseClfTime, parseEpochInteger, parseEpochSeconds, parseIsoTime } from './time.js';
import { logOrigin, type LogLineResult, type LogParser, type TimePrecision } from './types.js';

/** What a field feeds in the record (null: matched and ignored). */
export type FieldRole =
  | 'clientIp' | 'clientPort' | 'time' | 'request' | 'method' | 'target' | 'path' | 'query'
  | 'args' | 'protocol' | 'status' | 'userAgent' | 'forwardedFor';

/** How a time field is written. */
export type TimeKind = 'clf' | 'iso' | 'epoch' | 'epoch-ms' | 'epoch-us';

/** One field of a template. Higher `rank` wins when two fields feed the same role. */
export interface TemplateField {
  readonly name: string;
  readonly role: FieldRole | null;
  readonly rank: number;
  /** RegExp source without groups. */
  readonly pattern: string;
  readonly time?: { readonly kind: TimeKind; readonly precision: TimePrecision };
}

/** A template: literal text or a field. */
export type TemplateToken = { readonly lit: string } | { readonly field: TemplateField };

/** Everything needed to build a parser from a template. */
export interface TemplateSpec {
  readonly format: string;
  readonly tokens: readonly TemplateToken[];
  /** Undoes the logger's escapes in text fields. */
  readonly unescape: (s: string) => string;
  /** Accept (and ignore) anything after the template, for detection of extended formats. */
  readonly allowTrailing?: boolean;
  readonly advice?: LogParser['advice'];
  readonly notes?: readonly string[];
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const NS_MS = 1_000_000n;
const NS_US = 1_000n;

/** Builds the parser; throws InputError when the template cannot yield a request. */
export function buildTemplateParser(spec: TemplateSpec): LogParser {
  let src = '^';
  const best = new Map<FieldRole, { group: number; field: TemplateField }>();
  let group = 0;
  for (const t of spec.tokens) {
    if ('lit' in t) {
      src += escapeRe(t.lit);
      continue;
    }
    group++;
    src += '(' + t.field.pattern + ')';
    const role = t.field.role;
    if (role === null) continue;
    const prev = best.get(role);
    if (prev === undefined || t.field.rank > prev.field.rank) best.set(role, { group, field: t.field });
  }
  src += spec.allowTrailing === true ? '(?: .*)?$' : '$';
  const re = new RegExp(src);

  const time = best.get('time');
  const ip = best.get('clientIp');
  const hasRequest = best.has('request') || (best.has('method') && (best.has('target') || best.has('path')));
  if (time === undefined || ip === undefined || !hasRequest) {
    const missing = [time === undefined ? 'a time' : '', ip === undefined ? 'the client address' : '',
      hasRequest ? '' : 'the request line (or method and URI)'].filter((s) => s !== '').join(', ');
    throw new InputError('log.format-unusable', `log format ${spec.format} lacks ${missing}`);
  }
  const g = (role: FieldRole): number => best.get(role)?.group ?? 0;
  const gTime = time.group;
  const timeKind = time.field.time!.kind;
  const precision = time.field.time!.precision;
  const [gIp, gPort, gReq, gMethod, gTarget, gPath, gQuery, gArgs, gProto, gStatus, gUa, gXff] = (
    ['clientIp', 'clientPort', 'request', 'method', 'target', 'path', 'query', 'args', 'protocol',
      'status', 'userAgent', 'forwardedFor'] as const
  ).map(g);
  const unescape = spec.unescape;
  const format = spec.format;

  function parse(line: string, lineNo: number, offset: number, file = ''): LogLineResult {
    const m = re.exec(line);
    if (m === null) return { ok: false, reason: `not ${format}` };
    const tv = m[gTime]!;
    let ts: bigint | null;
    switch (timeKind) {
      case 'clf': ts = parseClfTime(tv); break;
      case 'iso': ts = parseIsoTime(tv); break;
      case 'epoch': ts = parseEpochSeconds(tv); break;
      case 'epoch-ms': ts = parseEpochInteger(tv, NS_MS); break;
      case 'epoch-us': ts = parseEpochInteger(tv, NS_US); break;
    }
    if (ts === null) return { ok: false, reason: 'bad time' };

    let method: string;
    let target: string;
    let version: string;
    let fromRequestLine = false;
    if (gReq !== 0) {
      const rl = unescape(m[gReq]!);
      if (rl === '' || rl === '-') return { ok: false, reason: 'no request line' };
      const parts = splitRequestLine(rl);
      if (parts === null) return { ok: false, reason: 'unparsable request line' };
      ({ method, target, version } = parts);
      fromRequestLine = true;
    } else {
      method = unescape(m[gMethod]!);
      if (gTarget !== 0) target = unescape(m[gTarget]!);
      else {
        target = unescape(m[gPath]!);
        if (gQuery !== 0) target += unescape(m[gQuery]!);
        else if (gArgs !== 0) {
          const a = unescape(m[gArgs]!);
          if (a !== '' && a !== '-') target += '?' + a;
        }
      }
      version = gProto === 0 ? '' : unescape(m[gProto]!);
      if (version === '-') version = '';
    }
    const sv = gStatus === 0 ? '' : m[gStatus]!;
    const status = /^\d{3}$/.test(sv) ? +sv : null;
    const pv = gPort === 0 ? '' : m[gPort]!;
    const ua = gUa === 0 ? '-' : unescape(m[gUa]!);
    return {
      ok: true,
      request: {
        origin: logOrigin(file, lineNo, offset),
        ts,
        timePrecision: precision,
        clientIp: m[gIp]!,
        clientPort: /^\d{1,5}$/.test(pv) ? +pv : null,
        forwardedFor: gXff === 0 ? null : firstForwarded(unescape(m[gXff]!)),
        method,
        target,
        httpVersion: version,
        status,
        userAgent: ua === '-' ? null : ua,
        // 414 = the proxy refused a request line longer than its buffers; a logged request
        // line without a version was cut (HTTP/0.9 does not occur in tracker traffic).
        truncated: status === 414 || (fromRequestLine && version === ''),
        queryStripped: false,
      },
    };
  }
  const parser: LogParser = { format, parse };
  return {
    ...parser,
    ...(spec.advice !== undefined ? { advice: spec.advice } : {}),
    ...(spec.notes !== undefined ? { notes: spec.notes } : {}),
  };
}
