/**
 * Plain-words WHY sentences for credits, transitions and session totals. Only text, no decisions:
 * replay.ts decides, this file says it (so report/ can print it and tests can read it).
 */
import type { Counters, Rules } from './types.js';
import { grouped } from '../format/units.js';
import { form, FormText, Hole } from './text-form.js';

/** 754384896n -> "754,384,896": the counters in the tracker's sentences (format/units.ts grouped). */
export const fmtBytes: (n: bigint) => string = grouped;

/** Seconds with at most one decimal: 2400 -> "2400 s", 30.05 -> "30.1 s". */
export function fmtSeconds(s: number): string {
  return fmtTenths(tenths(s));
}

/** Seconds as the whole tenths fmtSeconds shows (what a finding form keeps: a small integer). */
export function tenths(s: number): number {
  return Math.round(s * 10);
}

/** Tenths of a second as fmtSeconds writes them: fmtTenths(tenths(s)) is fmtSeconds(s). */
export function fmtTenths(t: number): string {
  return `${t / 10} s`;
}

const BASELINE = form`first announce of this peer_id only sets the baseline (uploaded ${Hole.Bytes}, downloaded ${Hole.Bytes}): nothing credited`;

/** The first announce of a peer only sets the baseline. */
export function baselineNote(up: bigint, down: bigint): string {
  return BASELINE.render([up, down]);
}

/** baselineNote, rendered when read (the replay writes it for every new peer). */
export function baselineNoteText(up: bigint, down: bigint): FormText {
  return new FormText(BASELINE, [up, down]);
}

/** What was credited and from which stored values. */
export function creditNote(credited: Counters, stored: Counters, now: Counters): string {
  return creditNoteOf(credited, stored, now.uploaded, now.downloaded);
}

const CREDIT = form`credited +${Hole.Bytes} up (${Hole.Bytes} − ${Hole.Bytes}) and +${Hole.Bytes} down (${Hole.Bytes} − ${Hole.Bytes})`;

/** creditNote with the announced counters as values. */
export function creditNoteOf(credited: Counters, stored: Counters, up: bigint, down: bigint): string {
  return creditNoteText(credited, stored, up, down).text;
}

/** creditNoteOf, rendered when read (the replay writes it on most announces). */
export function creditNoteText(credited: Counters, stored: Counters, up: bigint, down: bigint): FormText {
  return new FormText(CREDIT, [credited.uploaded, up, stored.uploaded, credited.downloaded, down, stored.downloaded]);
}

/** A counter went down. `reset`: the profile credits nothing at all for this announce. */
export function regressionNote(which: readonly string[], reset: boolean, rules: Rules): string {
  const what = which.join(' and ');
  return reset
    ? `${what} went down (client restart?): ${rules.title} credits nothing for this announce and resets the baseline`
    : `the counter went down (${what}; client restart?), nothing credited for it and the baseline drops`;
}

/** Ocelot: `started` on a known peer resets the baseline. */
export function startedResetNote(rules: Rules): string {
  return `started on a peer that is still listed: ${rules.title} resets the baseline and credits nothing`;
}

/** The peer's row was dropped by expiry before this announce. */
export function expiredNote(gap: number, deadTime: number): string {
  return (
    `the peer had expired (gap ${fmtSeconds(gap)} > dead time ${fmtSeconds(deadTime)}): this announce is a new row, ` +
    'a new baseline with zero credit'
  );
}

/** `stopped` of a listed peer. */
export function stoppedNote(): string {
  return 'stopped: credited first, then the peer row is deleted; the torrent leaves the user\'s profile';
}

/** `stopped` of a peer that is not listed. */
export function stoppedUnknownNote(rules: Rules): string {
  return rules.stoppedUnknown === null
    ? `stopped for a peer that is not listed: ${rules.title} does nothing`
    : `stopped for a peer that is not listed: ${rules.title} answers "${rules.stoppedUnknown}"`;
}

/** The profile refuses and no real reply says otherwise. */
export function refusedNote(rules: Rules, failure: string): string {
  return `${rules.title} rules refuse this announce ("${failure}"): nothing is applied`;
}

/** The real reply overrides the profile's prediction. */
export function realOverridesNote(rules: Rules, predicted: string | null, real: string | null): string {
  return predicted !== null
    ? `${rules.title} would have refused this announce ("${predicted}"), but the real tracker accepted it: the replay follows the real reply`
    : `${rules.title} would have accepted this announce, but the real tracker answered "${real ?? ''}": nothing is applied`;
}

/** The real tracker refused. */
export function realFailureNote(real: string): string {
  return `the real tracker answered failure "${real}": nothing was applied`;
}

/** Listing changes caused by the seeder flag. */
export function transitionNote(before: string, after: string): string | null {
  if (before === 'leeching' && after === 'seeding') return 'left = 0: the peer is now listed as seeding';
  if (before === 'seeding' && after === 'leeching') return 'left > 0 again: the seeder is listed as leeching';
  return null;
}

/** Why a session's credit differs from what its client reported; `anomalies`: the session's findings. */
export function sessionWhy(credited: Counters, reported: Counters, anomalies: readonly { readonly code: string }[]): string | null {
  if (credited.uploaded === reported.uploaded && credited.downloaded === reported.downloaded) return null;
  const codes = anomalies.map((f) => f.code);
  const reasons: string[] = [];
  if (codes.includes('late-announce')) reasons.push('the peer expired between announces and restarted from a new baseline');
  if (codes.includes('counter-regression')) reasons.push('a counter went down');
  if (codes.includes('rules-refused') || codes.includes('tracker-failure')) reasons.push('some announces were refused');
  if (codes.includes('stopped-unknown')) reasons.push('a stopped came for a peer that was no longer listed');
  const why = reasons.length > 0 ? reasons.join('; ') : 'announces without credit';
  return (
    `the client reported ${fmtBytes(reported.uploaded)} up / ${fmtBytes(reported.downloaded)} down in this session ` +
    `but ${fmtBytes(credited.uploaded)} / ${fmtBytes(credited.downloaded)} were credited: ${why}`
  );
}
