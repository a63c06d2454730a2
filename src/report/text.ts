/**
 * `--format text` (the default). Sessions are printed as they close (a `stopped`, or the end of the
 * input), each announce with its dissection and what the tracker did; then what was read and the
 * tables. Only the announces of sessions still open are held, as rendered text in a HeldText
 * (fixed memory, then a temp file).
 * With `announcesOnly`, announces are printed in time order as they are replayed, nothing is held.
 */
import type { Announce, Scrape } from '../announce/types.js';
import type { ReplayResult, Session, TrackerStep } from '../tracker/types.js';
import type { Output, ReportWriter, RunTotals } from './writer.js';
import { renderRequest, renderStep, type Explained } from './text-announce.js';
import { renderSessionEnd, renderSessionHeading } from './text-session.js';
import { ClientTally } from './client-tally.js';
import { renderInputs, renderTables } from './text-summary.js';
import type { Palette } from './style.js';
import { isFilteredOut } from './filter.js';
import { getRules } from '../tracker/rules/index.js';
import { HeldText, newChain, textLines, type Chain } from './held-text.js';

/** An open session: where its rendered announces are held, and what they explained already. */
interface OpenSession extends Chain {
  readonly explained: Explained;
}

export interface TextOptions {
  readonly announcesOnly: boolean;
  /** Torrent names from --torrent files, by info_hash. */
  readonly torrentNames?: ReadonlyMap<string, string>;
  /** Sessions to print (filters); undefined prints all. */
  readonly includeSession?: (s: Session) => boolean;
  /** Rows each summary table lists at most (--max-rows); 0 or absent lists all. */
  readonly maxRows?: number;
}

/**
 * An announce's request and step lines and a blank line, as output text: what
 * `textLines([...request, ...step, ''])` gives (both lists are never empty), without copying
 * every announce's lines into a third array.
 */
function announceText(request: readonly string[], step: readonly string[]): string {
  return textLines(request) + textLines(step) + '\n';
}

/** Writes the text report to `out` as the replay goes. */
export class TextWriter implements ReportWriter {
  private readonly open = new Map<number, OpenSession>();
  /** Announces without a session, printed at the end. */
  private readonly orphans = newChain();
  private hasOrphans = false;
  private printed = 0;
  private readonly clients = new ClientTally();
  private readonly held: HeldText;

  /** `heldBudget`: bytes of open sessions' text kept in memory before it spills to a temp file (tests make it tiny). */
  constructor(private readonly out: Output, private readonly p: Palette, private readonly opts: TextOptions, heldBudget?: number) {
    this.held = new HeldText(heldBudget);
  }

  begin(inputs: readonly string[], rules: string): void {
    this.out.write(this.p.dim(`tracker-anatomy: ${inputs.length} input${inputs.length === 1 ? '' : 's'}, replayed with ${getRules(rules)?.title ?? rules} rules`) + '\n\n');
  }

  announce(a: Announce, ref: number, step: TrackerStep): void {
    if (this.opts.announcesOnly) {
      const lines = [...renderRequest(a, this.p, new Set(), `#${ref + 1}`), ...renderStep(step, this.p), ''];
      this.out.write(lines.join('\n') + '\n');
      return;
    }
    if (step.session === null) {
      this.held.add(this.orphans, announceText(renderRequest(a, this.p, new Set(), `#${ref + 1}`), renderStep(step, this.p)));
      this.hasOrphans = true;
      return;
    }
    let s = this.open.get(step.session);
    if (!s) { s = { ...newChain(), explained: new Set() }; this.open.set(step.session, s); }
    const label = `#${(step.announceIndex ?? 0) + 1}`;
    this.held.add(s, announceText(renderRequest(a, this.p, s.explained, label), renderStep(step, this.p)));
  }

  scrape(_s: Scrape): void {}

  sessionClosed(session: Session): void {
    const s = this.open.get(session.index);
    this.open.delete(session.index);
    if (isFilteredOut(session)) return;
    this.clients.add(session);
    if (this.opts.announcesOnly) return;
    if (this.opts.includeSession && !this.opts.includeSession(session)) return;
    this.printed++;
    this.out.write(textLines(renderSessionHeading(session, this.p, this.opts.torrentNames?.get(session.infoHash))));
    if (s) this.held.writeTo(s, this.out);
    this.out.write(textLines(renderSessionEnd(session, this.p)));
  }

  end(totals: RunTotals, result: ReplayResult): void {
    if (this.hasOrphans) {
      this.out.write(textLines([this.p.heading('== Announces without a usable info_hash and peer_id (no session)'), '']));
      this.held.writeTo(this.orphans, this.out);
    }
    this.held.close();
    const lines: string[] = [];
    if (!this.opts.announcesOnly && this.printed === 0 && this.clients.byClient.size === 0 && result.sessions.length === 0) lines.push('No announces found.', '');
    lines.push(...renderInputs(totals, this.p), '', ...renderTables(result, this.p, this.clients, this.opts.maxRows ?? 0));
    this.out.write(lines.join('\n') + '\n');
  }
}
