/**
 * Colour for text reports. Colour is decided once by the CLI (NO_COLOR, FORCE_COLOR, --color,
 * --no-color, TTY) and passed in; reports never look at the environment.
 */
import { Chalk, type ChalkInstance } from 'chalk';

/** The few roles text is coloured by. */
export interface Palette {
  readonly heading: (s: string) => string;
  readonly dim: (s: string) => string;
  readonly good: (s: string) => string;
  readonly warn: (s: string) => string;
  readonly bad: (s: string) => string;
  readonly info: (s: string) => string;
  readonly value: (s: string) => string;
  readonly enabled: boolean;
}

export function palette(colour: boolean): Palette {
  const c: ChalkInstance = new Chalk({ level: colour ? 1 : 0 });
  return {
    heading: (s) => c.bold(s), dim: (s) => c.dim(s), good: (s) => c.green(s), warn: (s) => c.yellow(s),
    bad: (s) => c.red(s), info: (s) => c.cyan(s), value: (s) => c.bold(s), enabled: colour,
  };
}

/** Colours a severity word. */
export function severityColour(p: Palette, severity: string): (s: string) => string {
  return severity === 'error' ? p.bad : severity === 'warning' ? p.warn : p.info;
}
