// detectLogFormat picks the right parser for each fixture and never a wrong one.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectLogFormat, KNOWN_LOG_PARSERS } from '../../../src/capture/logs/index.js';

const lines = (f: string) => readFileSync(f, 'latin1').split('\n');

describe('detectLogFormat', () => {
  it.each([
    ['fixtures/real/a_clean/nginx_access.log', 'nginx-combined'],
    ['fixtures/real/b_crash/nginx_access_ext.log', 'nginx-combined+'],
    ['fixtures/logs/apache-combined.log', 'apache-combined'],
    ['fixtures/logs/haproxy-syslog.log', 'haproxy-httplog'],
    ['fixtures/logs/haproxy-stdout.log', 'haproxy-httplog'],
    ['fixtures/logs/caddy-access.log', 'caddy-json'],
    ['fixtures/logs/traefik-access.log', 'traefik-json'],
    ['fixtures/logs/squid-access.log', 'squid-native'],
  ])('%s -> %s', (file, format) => {
    expect(detectLogFormat(lines(file))?.format).toBe(format);
  });

  it('each fixture is read by its own parser only (no format claims another one\'s lines)', () => {
    const own: Record<string, string> = {
      'fixtures/logs/haproxy-syslog.log': 'haproxy-httplog',
      'fixtures/logs/caddy-access.log': 'caddy-json',
      'fixtures/logs/traefik-access.log': 'traefik-json',
      'fixtures/logs/squid-access.log': 'squid-native',
    };
    for (const [file, format] of Object.entries(own)) {
      for (const p of KNOWN_LOG_PARSERS) {
        if (p.format === format) continue;
        for (const l of lines(file)) if (l !== '') expect(p.parse(l, 1, 0).ok, `${p.format} on ${file}`).toBe(false);
      }
    }
  });

  it('nothing recognisable -> null', () => {
    expect(detectLogFormat(['hello', '', '\x00\x01'])).toBeNull();
  });
});
