/**
 * Splitting a logged request line, RFC 9112 §3 (https://www.rfc-editor.org/rfc/rfc9112#section-3):
 * `method SP request-target SP HTTP-version`. The target is taken as everything between the
 * first and the last space, so a client that sent a raw space in its target keeps it.
 */

/** The parts of a logged request line. */
export interface RequestLineParts {
  readonly method: string;
  readonly target: string;
  /** "" when the line has no version (HTTP/0.9, or the line was cut). */
  readonly version: string;
}

const VERSION = /^HTTP\/\d(?:\.\d)?$/;
const METHOD = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/** Splits `GET /announce?… HTTP/1.1`; null when there is no token-shaped method. */
export function splitRequestLine(line: string): RequestLineParts | null {
  const sp = line.indexOf(' ');
  const method = sp < 0 ? line : line.slice(0, sp);
  if (!METHOD.test(method)) return null;
  if (sp < 0) return { method, target: '', version: '' };
  const last = line.lastIndexOf(' ');
  const tail = line.slice(last + 1);
  if (last > sp && VERSION.test(tail)) return { method, target: line.slice(sp + 1, last), version: tail };
  return { method, target: line.slice(sp + 1), version: '' };
}

/** First address of an X-Forwarded-For value; null for absent, empty or `-`. */
export function firstForwarded(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const first = value.split(',')[0]!.trim();
  return first === '' || first === '-' ? null : first;
}
