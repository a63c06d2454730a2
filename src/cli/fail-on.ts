/** --fail-on: which findings make the run exit 1, and a writer wrapper that counts them. */
import { InputError } from '../errors.js';
import { ANOMALIES } from '../tracker/anomalies/catalogue.js';
import type { Announce, Scrape } from '../announce/types.js';
import type { Finding, ReplayResult, Session, Severity, TrackerStep } from '../tracker/types.js';
import type { ReportWriter, RunTotals } from '../report/writer.js';
import { isFilteredOut } from '../report/filter.js';

const RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

export interface FailOn {
  readonly severity: Severity | null;
  readonly codes: ReadonlySet<string>;
}

/** Parses 'warning', 'missing-stopped,late-announce' or a mix; unknown words are an InputError. */
export function parseFailOn(value: string): FailOn {
  let severity: Severity | null = null;
  const codes = new Set<string>();
  for (const word of value.split(',').map((w) => w.trim()).filter(Boolean)) {
    if (word in RANK) severity = severity === null || RANK[word as Severity] < RANK[severity] ? (word as Severity) : severity;
    else if (word in ANOMALIES) codes.add(word);
    else throw new InputError('args.invalid', `--fail-on: '${word}' is neither a severity (info, warning, error) nor an anomaly code (${Object.keys(ANOMALIES).join(', ')})`);
  }
  return { severity, codes };
}

/** Passes everything through and remembers the findings that trip --fail-on. */
export class FailOnTally implements ReportWriter {
  readonly tripped: Finding[] = [];
  constructor(private readonly inner: ReportWriter, private readonly rule: FailOn) {}

  private check(f: Finding): void {
    if (this.rule.codes.has(f.code) || (this.rule.severity !== null && RANK[f.severity] >= RANK[this.rule.severity])) this.tripped.push(f);
  }

  begin(inputs: readonly string[], rules: string): void { this.inner.begin(inputs, rules); }
  announce(a: Announce, ref: number, step: TrackerStep): void { this.inner.announce(a, ref, step); }
  scrape(s: Scrape): void { this.inner.scrape(s); }
  sessionClosed(s: Session): void {
    if (!isFilteredOut(s)) for (const f of s.anomalies) this.check(f);
    this.inner.sessionClosed(s);
  }
  end(totals: RunTotals, result: ReplayResult): void {
    for (const s of result.sessions) for (const f of s.anomalies) this.check(f);
    for (const f of result.orphanFindings) this.check(f);
    this.inner.end(totals, result);
  }
}
