/**
 * Every command-line option, once. The commander definitions, `--help`, README's option list and the
 * RunConfig all come from this table, so they cannot drift apart.
 */

import { RULES } from '../tracker/rules/index.js';

/** How an option's value is read. */
export type OptionKind = 'flag' | 'string' | 'number' | 'list' | 'choice';

export interface OptionSpec {
  /** commander flags, e.g. '-o, --output <file>'. */
  readonly flags: string;
  readonly kind: OptionKind;
  readonly description: string;
  readonly choices?: readonly string[];
  readonly defaultValue?: string | number | boolean;
  /** Section in --help and README. */
  readonly group: 'input' | 'tracker' | 'output' | 'filter' | 'ci';
}

export const FORMATS = ['text', 'json', 'jsonl', 'csv', 'markdown', 'html'] as const;
export const INPUT_FORMATS = ['auto', 'pcap', 'pcapng', 'log'] as const;
export const LOG_FORMATS = ['auto', 'nginx-combined', 'nginx-main', 'apache-common', 'apache-combined', 'haproxy', 'caddy', 'traefik', 'squid'] as const;

export const OPTIONS: readonly OptionSpec[] = [
  { flags: '--input-format <format>', kind: 'choice', choices: INPUT_FORMATS, defaultValue: 'auto', group: 'input',
    description: 'force the input format instead of detecting it from the content' },
  { flags: '--log-format <format>', kind: 'string', group: 'input',
    description: "access-log format: a name (nginx-combined, nginx-main, apache-common, apache-combined, haproxy, caddy, traefik, squid) or an nginx log_format string ('$remote_addr ... \"$request\" ...'); detected when omitted" },
  { flags: '--announce-path <regex>', kind: 'string', group: 'input',
    description: 'treat GET requests whose path matches this regular expression as announces (default: path ends in announce or announce.php, passkey forms included)' },
  { flags: '--follow', kind: 'flag', group: 'input',
    description: 'keep reading files that grow (a live access log or capture), printing each announce as it is replayed; Ctrl-C ends with the summary' },
  { flags: '--keep-proxy-legs', kind: 'flag', group: 'input',
    description: "do not merge a reverse proxy's backend request into the client's request (each leg counts as an announce)" },
  { flags: '--threads <n>', kind: 'choice', choices: ['auto', '1', '2'], defaultValue: 'auto', group: 'input',
    description: 'threads to use: 2 reads and decodes capture files in a second thread while the replay and report run (auto: when the machine has two cores or more and the capture files total 16 MiB or more; never for stdin, gzip, logs or --follow); 1 keeps one thread. The output is the same either way' },
  { flags: '--trust-proxy <who>', kind: 'string', defaultValue: 'all', group: 'tracker',
    description: "whose X-Forwarded-For / X-Real-IP names the user: 'all' (TBSource and most PHP trackers trust any request's header), 'none' (the packet's or log line's own address), or a comma-separated list of proxy addresses" },
  { flags: '--rules <profile>', kind: 'choice', choices: Object.keys(RULES), defaultValue: 'tbsource', group: 'tracker',
    description: "tracker rules to replay with" },
  { flags: '--interval <seconds>', kind: 'number', group: 'tracker',
    description: "announce interval the tracker asks for (default: from the tracker's replies, else 1800)" },
  { flags: '--dead-time <seconds>', kind: 'number', group: 'tracker',
    description: 'seconds after its last announce when a peer expires (default: the profile\'s, 1.3 x interval for tbsource)' },
  { flags: '--min-interval <seconds>', kind: 'number', group: 'tracker',
    description: "announce-too-soon threshold (default: the reply's min interval, else half the interval)" },
  { flags: '--torrent <file>', kind: 'list', group: 'tracker',
    description: 'a .torrent file: gives the torrent size and name (repeatable)' },
  { flags: '-f, --format <format>', kind: 'choice', choices: FORMATS, defaultValue: 'text', group: 'output',
    description: 'output format' },
  { flags: '-o, --output <file>', kind: 'string', group: 'output',
    description: 'write the report to this file instead of stdout' },
  { flags: '--announces-only', kind: 'flag', group: 'output',
    description: 'text: list the decoded announces in time order instead of sessions' },
  { flags: '--max-rows <n>', kind: 'number', defaultValue: 50, group: 'output',
    description: 'text: rows each summary table (users, torrents, clients) lists at most, the most telling first chosen (most anomalies, largest swarms, most sessions) and the rest counted; 0 lists all' },
  { flags: '--utc', kind: 'flag', group: 'output',
    description: 'print times in UTC (the default and only zone: output never depends on the machine\'s timezone)' },
  { flags: '--peer-list', kind: 'flag', group: 'output',
    description: "json/jsonl: include each reply's peer addresses (peerList), not only their count" },
  { flags: '--color', kind: 'flag', group: 'output',
    description: 'force colour (also FORCE_COLOR=1); colour is off when stdout is not a terminal or NO_COLOR is set' },
  { flags: '--no-color', kind: 'flag', group: 'output', description: 'never colour' },
  { flags: '--user <user>', kind: 'string', group: 'filter',
    description: 'report only this user (passkey, or the IP address TBSource would credit)' },
  { flags: '--info-hash <hex>', kind: 'string', group: 'filter', description: 'report only torrents whose info_hash starts with this hex' },
  { flags: '--peer-id <id>', kind: 'string', group: 'filter', description: 'report only peers whose peer_id text or hex starts with this' },
  { flags: '--client <name>', kind: 'string', group: 'filter', description: "report only clients whose name contains this (e.g. 'Transmission')" },
  { flags: '--ip <address>', kind: 'string', group: 'filter', description: 'report only announces from this address (source or forwarded-for)' },
  { flags: '--since <time>', kind: 'string', group: 'filter', description: "report only from this time: ISO 8601 (UTC unless it has an offset), or '+10m' after the first announce" },
  { flags: '--until <time>', kind: 'string', group: 'filter', description: 'report only up to this time (same forms as --since)' },
  { flags: '--event <event>', kind: 'string', group: 'filter', description: "report only announces with this event (started, completed, stopped, paused, or 'none')" },
  { flags: '--anomaly <codes>', kind: 'string', group: 'filter', description: 'report only sessions with one of these anomaly codes (comma-separated); announces are not filtered by it' },
  { flags: '--redact', kind: 'flag', group: 'output', description: 'mask passkeys and IP addresses in every format (the same value always gets the same mask)' },
  { flags: '--fail-on <list>', kind: 'string', group: 'ci', description: "exit 1 when the replay finds an anomaly of this severity or worse (info, warning, error) or with one of these codes (comma-separated)" },
  { flags: '-q, --quiet', kind: 'flag', group: 'output', description: 'no progress or warnings on stderr' },
  { flags: '--debug', kind: 'flag', group: 'output', description: 'print stack traces for internal errors' },
];
