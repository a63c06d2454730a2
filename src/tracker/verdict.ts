/**
 * Whether the tracker accepts an announce: the rule profile's prediction, and the verdict of a
 * real reply when the input has one (which overrides the prediction).
 */
import type { Announce, TrackerReply } from '../announce/types.js';
import { blacklistedPortText } from './rules/common.js';
import type { PeerRow, Rules } from './types.js';

/** The failure text of a real reply, or null when it accepted the announce. */
export function replyFailure(r: TrackerReply): string | null {
  if (r.failure !== null) return r.failure;
  if (r.status >= 400 || r.status === 0) return `HTTP ${r.status}`;
  return null;
}

/**
 * The profile's answer, null when it accepts: the first request-side failure, then the
 * state-dependent checks. `row`: the peer's listed row before the announce, null when unlisted.
 */
export function predictFailure(rules: Rules, a: Announce, row: PeerRow | null): string | null {
  if (a.errors.length > 0) return a.errors[0]!;
  if (row === null) {
    if (a.event === 'stopped') return rules.stoppedUnknown;
    if (a.port !== null && inBlacklist(rules, a.port)) return blacklistedPortText(a.port);
    if (rules.requireStarted !== null && a.event !== 'started') return rules.requireStarted;
  }
  return rules.refuse({ a, row });
}

function inBlacklist(rules: Rules, port: number): boolean {
  return rules.portBlacklist.some(([lo, hi]) => port >= lo && port <= hi);
}
