/**
 * Helpers for JSON-lines access logs (Caddy, Traefik). Lines are latin1 text, so JSON.parse
 * leaves raw UTF-8 bytes as they were; strings are turned back to bytes with toLatin1Bytes.
 */
import { toLatin1Bytes } from './escape.js';

/** A parsed JSON object line, or null when the line is not one JSON object. */
export function parseJsonObject(line: string): Record<string, unknown> | null {
  if (!line.startsWith('{')) return null;
  try {
    const v: unknown = JSON.parse(line);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** A string member as latin1 bytes, or null. */
export function jsonString(v: unknown): string | null {
  return typeof v === 'string' ? toLatin1Bytes(v) : null;
}

/** A member that may be a number or a numeric string, as an integer, or null. */
export function jsonInt(v: unknown): number | null {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^\d{1,9}$/.test(v)) return +v;
  return null;
}

/** An object member, or null. */
export function jsonObject(v: unknown): Record<string, unknown> | null {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
}

/**
 * The source text of a top-level numeric member, so time stamps are read exactly rather than
 * through a float (a float64 near 1.8e9 s only resolves ~0.2 µs).
 */
export function rawNumber(line: string, key: string): string | null {
  const m = new RegExp(`[{,]\\s*"${key}"\\s*:\\s*(-?\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?)`).exec(line);
  return m === null ? null : m[1]!;
}

/** The first value of a header in a Go `http.Header` map (`{"User-Agent":["…"]}`), any case. */
export function headerValue(headers: Record<string, unknown> | null, name: string): string | null {
  if (headers === null) return null;
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) {
    if (k.toLowerCase() !== lower) continue;
    if (Array.isArray(v)) return jsonString(v[0]);
    return jsonString(v);
  }
  return null;
}
