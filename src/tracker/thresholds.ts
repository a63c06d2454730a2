/** The detectors' thresholds: the options given, the defaults for the others. */
import type { ReplayOptions, Thresholds } from './types.js';

/** The default of each threshold (see ReplayOptions for what each means). */
export const DEFAULT_THRESHOLDS: Omit<Thresholds, 'minInterval'> = {
  speedMinBytes: 1n << 30n,
  speedWarn: 100 * 1048576,
  speedError: 1000 * 1048576,
  u232MinBytes: 103872n,
  u232Speed: 503872,
  noLeecherMinBytes: 10n * 1048576n,
  noLeecherSpeed: 100 * 1024,
};

export function thresholdsOf(opts: ReplayOptions): Thresholds {
  const d = DEFAULT_THRESHOLDS;
  return {
    // no default: announce-too-soon falls back on the reply's min interval, then half the interval
    minInterval: opts.minInterval,
    speedMinBytes: opts.speedMinBytes ?? d.speedMinBytes,
    speedWarn: opts.speedWarn ?? d.speedWarn,
    speedError: opts.speedError ?? d.speedError,
    u232MinBytes: opts.u232MinBytes ?? d.u232MinBytes,
    u232Speed: opts.u232Speed ?? d.u232Speed,
    noLeecherMinBytes: opts.noLeecherMinBytes ?? d.noLeecherMinBytes,
    noLeecherSpeed: opts.noLeecherSpeed ?? d.noLeecherSpeed,
  };
}
