/**
 * The replay's sessions: opening one in a peer's slot, closing it (session detectors, the
 * peer_id as the report shows it) and what is kept of closed ones: the sessions themselves (only
 * with retainSessions) and, per user, their indices and finding count for the users summary.
 */
import { describePeerId } from '../announce/peer-id.js';
import { SESSION_DETECTORS } from './anomalies/index.js';
import { closeSession } from './session.js';
import { NO_SESSION, type PeerSlot } from './state.js';
import { copyText } from './text.js';
import type { PeerIdInfo, Rules, Session } from './types.js';

/** A user's closed sessions (indices) and how many findings they carry. */
export interface UserSessions {
  sessions: number[];
  anomalies: number;
}

export class SessionBook {
  /** Closed sessions by index (null until closed); empty without retainSessions. */
  private readonly kept: (Session | null)[] = [];
  /** How many sessions were opened. */
  private opened = 0;
  /** Per user: indices of closed sessions and their finding count. */
  private readonly byUser = new Map<string, UserSessions>();
  /** Client names, one string each. */
  private readonly clients = new Map<string, string>();

  /**
   * `retain` false: the consumer of `onClosed` owns each session and none is kept, so memory stays
   * flat however long the input.
   */
  constructor(
    private readonly rules: Rules,
    private readonly retain: boolean,
    private readonly onClosed: ((s: Session) => void) | undefined,
  ) {}

  /** Opens a session in the peer's slot; `user` is the user's own copy of the name (UserBook). */
  open(slot: PeerSlot, user: string, ip: string, port: number | null): void {
    const index = this.opened++;
    // a place per session only when they are kept: otherwise this array would grow with the input
    if (this.retain) this.kept.push(null);
    slot.open(index, user, copyText(ip), port);
  }

  /**
   * Closes the peer's open session. `silence`: seconds from its last applied announce to the end
   * of input, when it ends there while listed.
   */
  close(slot: PeerSlot, infoHash: string, interval: number, deadTime: number, silence: number | null): void {
    const session = closeSession(slot, {
      rules: this.rules,
      detectors: SESSION_DETECTORS,
      interval,
      deadTime,
      silence,
      infoHash,
      peerId: this.peerIdOf(slot),
    });
    slot.session = NO_SESSION;
    if (this.retain) this.kept[session.index] = session;
    let u = this.byUser.get(session.user);
    if (u === undefined) this.byUser.set(session.user, (u = { sessions: [], anomalies: 0 }));
    u.sessions.push(session.index);
    u.anomalies += session.anomalies.length;
    this.onClosed?.(session);
  }

  /** The peer_id as the report shows it, made from the raw bytes when the session closes. */
  private peerIdOf(slot: PeerSlot): PeerIdInfo {
    const p = describePeerId(Buffer.from(slot.raw, 'latin1'));
    const client = p.client === null ? null : (this.clients.get(p.client) ?? (this.clients.set(p.client, p.client), p.client));
    return { hex: p.hex, text: p.text, client };
  }

  /** The kept sessions in index order. */
  sessions(): Session[] {
    return this.kept.filter((s): s is Session => s !== null);
  }

  /** Per user, the closed sessions in index order. */
  sessionsByUser(): ReadonlyMap<string, UserSessions> {
    // sessions close mostly in index order: sort only the lists that are not
    for (const u of this.byUser.values()) if (!ascending(u.sessions)) u.sessions.sort((a, b) => a - b);
    return this.byUser;
  }
}

/** True when `xs` is in ascending order. */
function ascending(xs: readonly number[]): boolean {
  for (let i = 1; i < xs.length; i++) if (xs[i - 1]! > xs[i]!) return false;
  return true;
}
