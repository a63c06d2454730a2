/** A peer's state as a small number, for the places that pack it into bits (slot flags, session log). */
import type { PeerState } from './types.js';

/** Every PeerState, at the index stateCode gives it. */
export const PEER_STATES: readonly PeerState[] = ['none', 'leeching', 'seeding', 'removed', 'expired'];

/** The state's index in PEER_STATES (0-4: fits 3 bits). */
export function stateCode(s: PeerState): number {
  switch (s) {
    case 'none': return 0;
    case 'leeching': return 1;
    case 'seeding': return 2;
    case 'removed': return 3;
    default: return 4;
  }
}
