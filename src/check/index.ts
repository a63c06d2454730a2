/** `tracker-anatomy check`: expectations files and comparing a replay with one (pure functions; the CLI wires them). */
export { parseExpectations, validateExpectations, formatExpectations, sessionKey } from './expectations.js';
export type { CheckInput, CheckMode, Expectations, ExpectedCounters, UserExpectation, SessionExpectation, AnomalyExpectation } from './expectations.js';
export { expectationsFrom, numberSessions } from './build.js';
export { compare, type CheckReport } from './compare.js';
