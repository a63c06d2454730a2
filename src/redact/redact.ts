/**
 * --redact: masks passkeys and IP addresses before the replay sees them, so every format (and the
 * replay's own notes) shows masks. The same value always gets the same mask, so a masked report
 * still shows which announces came from one user or one address.
 */
import type { Announce, QueryParam, ReplyPeer, TrackerRequest } from '../announce/types.js';

const SECRET_PARAMS = new Set(['passkey', 'torrent_pass', 'ip', 'ipv4', 'ipv6', 'localip']);

export class Redactor {
  private readonly ips = new Map<string, string>();
  private readonly keys = new Map<string, string>();

  /** "ip#3" for the third distinct address seen. Empty addresses (logs have no tracker address) stay empty. */
  ip(ip: string): string {
    if (ip === '') return ip;
    let m = this.ips.get(ip);
    if (m === undefined) this.ips.set(ip, (m = `ip#${this.ips.size + 1}`));
    return m;
  }

  passkey(key: string): string {
    let m = this.keys.get(key);
    if (m === undefined) this.keys.set(key, (m = `passkey#${this.keys.size + 1}`));
    return m;
  }

  private param(p: QueryParam): QueryParam {
    if (!SECRET_PARAMS.has(p.name)) return p;
    const raw = p.name === 'passkey' || p.name === 'torrent_pass' ? this.passkey(p.raw) : this.ip(p.raw);
    return { name: p.name, raw, bytes: Buffer.from(raw, 'latin1') };
  }

  /** The target with the passkey (path or query) and address parameters masked. */
  private target(target: string, passkey: string | null): string {
    const q = target.indexOf('?');
    let path = q < 0 ? target : target.slice(0, q);
    if (passkey !== null) path = path.split(passkey).join(this.passkey(passkey));
    if (q < 0) return path;
    const query = target
      .slice(q + 1)
      .split('&')
      .map((pair) => {
        const eq = pair.indexOf('=');
        const name = eq < 0 ? pair : pair.slice(0, eq);
        if (eq < 0 || !SECRET_PARAMS.has(name)) return pair;
        const value = pair.slice(eq + 1);
        return `${name}=${name === 'passkey' || name === 'torrent_pass' ? this.passkey(value) : this.ip(value)}`;
      })
      .join('&');
    return `${path}?${query}`;
  }

  private peer = (p: ReplyPeer): ReplyPeer => ({ ...p, ip: this.ip(p.ip) });

  /** A copy of the request with its secrets masked. */
  request(rec: TrackerRequest): TrackerRequest {
    const client = { ip: this.ip(rec.client.ip), port: rec.client.port };
    if (rec.kind === 'scrape') {
      return { ...rec, client, target: this.target(rec.target, null), forwardedFor: rec.forwardedFor ? this.ip(rec.forwardedFor) : rec.forwardedFor ?? null };
    }
    const a: Announce = rec;
    return {
      ...a,
      client,
      tracker: { ip: this.ip(a.tracker.ip), port: a.tracker.port },
      forwardedFor: a.forwardedFor === null ? null : this.ip(a.forwardedFor),
      passkey: a.passkey === null ? null : this.passkey(a.passkey),
      target: this.target(a.target, a.passkey),
      path: this.target(a.path, a.passkey),
      params: a.params.map((p) => this.param(p)),
      reply: a.reply === null ? null : {
        ...a.reply,
        peers: a.reply.peers.map(this.peer),
        externalIp: a.reply.externalIp === null ? null : this.ip(a.reply.externalIp),
      },
    };
  }
}
