/**
 * nginx in front of the real tracker logged the same traffic the captures hold: the announces from
 * each log must agree with the capture's (client address, peer, event, counters) to the second.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cliJson } from './cli.js';

function key(a: any): string {
  return [a.client.ip, a.peerId.hex, a.event, a.uploaded, a.downloaded, a.left].join(' ');
}

describe.each(['a_clean', 'b_crash'])('%s: nginx logs agree with the capture', (scenario) => {
  const dir = `fixtures/real/${scenario}`;
  const capture = cliJson([`${dir}/capture.pcap`]).doc;
  const conf = readFileSync(`${dir}/nginx.conf`, 'latin1');
  // the custom log_format as nginx.conf spells it: the quoted pieces joined
  const fmt = /log_format tracker_ext ((?:'[^']*'\s*)+);/.exec(conf)![1]!.replace(/'\s*'/g, '').replace(/^'|'$/g, '');

  it.each([
    ['combined', [`${dir}/nginx_access.log`]],
    ['tracker_ext', ['--log-format', fmt, `${dir}/nginx_access_ext.log`]],
  ])('%s', (_name, args) => {
    const { code, doc } = cliJson(args as string[]);
    expect(code).toBe(0);
    expect(doc.announces.map(key)).toEqual(capture.announces.map(key));
    doc.announces.forEach((a: any, i: number) => {
      const c = capture.announces[i];
      const dt = Math.abs(Date.parse(a.time) - Date.parse(c.time));
      // $time_local has whole seconds; $msec is written when the reply went out (ms after the request)
      expect(dt).toBeLessThan(1000);
      expect(a.time.slice(0, 19)).toBe(c.time.slice(0, 19));
      expect(a.response).toBeNull();
      expect(a.source).toMatch(/nginx_access(_ext)?\.log:\d+$/);
    });
    expect(doc.inputs[0].lines).toBe(scenario === 'a_clean' ? 14 : 7);
    expect(doc.inputs[0].skipped).toEqual({});
  });
});
