/**
 * The step of an announce without info_hash or peer_id: no peer key, so no row, no session and
 * no credit; only a finding, kept with the result's orphan findings.
 */
import type { Announce } from '../announce/types.js';
import * as why from './explain.js';
import { ZERO } from './user-book.js';
import type { Counters, Finding, Rules, TrackerStep } from './types.js';

/**
 * `real`: the real reply's failure text (null: accepted), undefined without a reply; `totals`:
 * the user's credit so far. Its finding is also pushed onto `orphans`.
 */
export function orphanStep(
  rules: Rules,
  a: Announce,
  ref: number,
  user: string,
  real: string | null | undefined,
  totals: Counters,
  orphans: Finding[],
): TrackerStep {
  const predicted = a.errors[0] ?? 'missing info_hash or peer_id';
  const failure = real !== undefined ? real : predicted;
  const f: Finding =
    real === undefined
      ? { code: 'rules-refused', severity: 'warning', announce: null, message: `${rules.title} refuses this announce ("${predicted}"): nothing is credited or listed` }
      : { code: 'tracker-failure', severity: 'warning', announce: null, message: `the tracker answered "${failure ?? ''}" to an announce without a usable info_hash/peer_id` };
  orphans.push(f);
  return {
    ref, session: null, announceIndex: null, user, credited: ZERO, before: 'none', after: 'none',
    swarm: { seeders: 0, leechers: 0 }, totals: { uploaded: totals.uploaded, downloaded: totals.downloaded },
    findings: [f], notes: [why.refusedNote(rules, predicted)], applied: false, failure, predicted,
  };
}
