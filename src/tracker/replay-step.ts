/**
 * What the replay hands out per announce: a TrackerStep whose notes are kept as written (forms
 * with their numbers among plain texts) and rendered as text only when `notes` is read. The JSON
 * report writes the forms' bytes straight from `noteTexts`; the text reports read `notes`.
 */
import { noteText, type StepNote } from './text-form.js';
import type { Counters, Finding, PeerState, SwarmCount, TrackerStep } from './types.js';

export class ReplayStep implements TrackerStep {
  #notes: readonly string[] | null = null;

  constructor(
    readonly ref: number,
    readonly session: number | null,
    readonly announceIndex: number | null,
    readonly user: string,
    readonly credited: Counters,
    readonly before: PeerState,
    readonly after: PeerState,
    readonly swarm: SwarmCount,
    readonly totals: Counters,
    readonly findings: readonly Finding[],
    readonly noteTexts: readonly StepNote[],
    readonly applied: boolean,
    readonly failure: string | null,
    readonly predicted: string | null,
  ) {}

  get notes(): readonly string[] {
    return (this.#notes ??= this.noteTexts.map(noteText));
  }
}
