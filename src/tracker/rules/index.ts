/** The rule profiles: `--rules` choices come from Object.keys(RULES). */
import type { Rules } from '../types.js';
import { ocelot } from './ocelot.js';
import { tbdev09 } from './tbdev09.js';
import { tbsource } from './tbsource.js';
import { unit3d } from './unit3d.js';
import { xbt } from './xbt.js';

/** Every profile by its `--rules` name. tbsource is the default. */
export const RULES = { tbsource, tbdev09, xbt, ocelot, unit3d } satisfies Record<string, Rules>;

/** A valid `--rules` choice. */
export type RulesName = keyof typeof RULES;

/** The profile named `name`, or undefined. */
export function getRules(name: string): Rules | undefined {
  return Object.hasOwn(RULES, name) ? RULES[name as RulesName] : undefined;
}
