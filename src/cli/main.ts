/**
 * The command line: parse -> validate -> config -> run -> exit code. The only code that sees argv,
 * the environment and the process; everything below it takes a config and returns values.
 */
import { Command, CommanderError, Option } from 'commander';
import { InputError, describeInputError } from '../errors.js';
import { OPTIONS, type OptionSpec } from './options.js';
import { buildConfig, compileAnnouncePath, decideColour, type CliValues } from './config.js';
import { execute } from './execute.js';
import { explainUrl } from './explain.js';
import { runCheck } from './check.js';
import { OutputClosed } from './output.js';
import { sanitize } from '../report/sanitize.js';

export const VERSION = '0.1.0';

export const EXAMPLES = `
Examples:
  tracker-anatomy session.pcap                       every client session, explained
  tracker-anatomy -f json session.pcap > out.json    the same as one JSON document
  tcpdump -i eth0 -U -w - port 80 | tracker-anatomy -   a live capture from stdin
  tracker-anatomy /var/log/nginx/access.log          an nginx access log (format detected)
  tracker-anatomy --user 0123abcd... --anomaly missing-stopped a.pcap.gz
  tracker-anatomy explain 'http://t.example/announce.php?info_hash=...&peer_id=...'
  tracker-anatomy check fixture.pcap --expect fixture.expect.json
  tracker-anatomy --fail-on warning recorded.pcap     exit 1 on any warning or error

Exit status: 0 ok; 1 --fail-on tripped or check expectations not met; 2 unusable input or
arguments (one line on stderr naming the file and position); 3 internal error (please report).
`;

function addOption(cmd: Command, spec: OptionSpec): void {
  const opt = new Option(spec.flags, spec.description);
  if (spec.kind === 'choice' && spec.choices) opt.choices([...spec.choices]);
  if (spec.defaultValue !== undefined && spec.kind !== 'flag') opt.default(spec.defaultValue);
  if (spec.kind === 'list') opt.argParser((v: string, prev: string[] | undefined) => [...(prev ?? []), v]);
  cmd.addOption(opt);
}

type Action = (io: { stdout(t: string): void; stderr(t: string): void }) => Promise<number>;

/** Builds the commander program (also used to generate the man page and README's option list). */
export function buildProgram(onAction: (a: Action) => void): Command {
  const program = new Command('tracker-anatomy')
    .description('Replay BitTorrent tracker announces from packet captures and proxy access logs through an embedded tracker, and explain every client session.')
    .version(VERSION, '-V, --version')
    .argument('<inputs...>', "capture (pcap, pcapng) or access-log files; '-' reads stdin; gzip is decompressed")
    .addHelpText('after', EXAMPLES)
    // options after a subcommand's name belong to it (explain --format json)
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, writeOut: (s) => process.stdout.write(s) });
  for (const spec of OPTIONS) addOption(program, spec);
  program.action((inputs: string[], values: CliValues) => {
    onAction(async (io) => execute(buildConfig(inputs, values, process.env, ttys()), io));
  });

  const explain = program.command('explain')
    .description('dissect one pasted announce URL, parameter by parameter, with what the rules would answer')
    .argument('<url...>', 'the URL (spaces from line wrapping are removed)')
    .exitOverride();
  for (const spec of OPTIONS.filter((o) => /--rules|--format|--announce-path|--color|--no-color/.test(o.flags))) addOption(explain, spec);
  explain.option('--user-agent <ua>', 'the User-Agent the client sent (TBSource refuses browsers)');
  explain.action((parts: string[], values: CliValues & { userAgent?: string }) => {
    onAction(async (io) => {
      const announcePath = compileAnnouncePath(values.announcePath);
      io.stdout(explainUrl(parts.join(''), {
        rules: values.rules, format: values.format, userAgent: values.userAgent, announcePath,
        colour: values.format === 'text' && decideColour(values, process.env, Boolean(process.stdout.isTTY)),
      }));
      return 0;
    });
  });

  const check = program.command('check')
    .description('replay the inputs and compare with an expectations file (exit 0 met, 1 not met)')
    .argument('<inputs...>', 'captures or logs, as for the main command')
    .requiredOption('--expect <file>', 'the expectations file (JSON)')
    .option('--update', 'write the expectations file from this replay instead of comparing')
    .option('--at-least', "with --update: write 'atLeast' expectations (extra sessions, users and anomalies are fine)")
    .exitOverride();
  for (const spec of OPTIONS.filter((o) => o.group === 'input' || o.group === 'tracker' || /--quiet/.test(o.flags))) addOption(check, spec);
  check.action((inputs: string[], values: CliValues & { expect: string; update?: boolean; atLeast?: boolean }) => {
    onAction(async (io) => runCheck(
      buildConfig(inputs, { ...values, format: 'json' }, process.env, ttys()),
      { expect: values.expect, update: Boolean(values.update), mode: values.atLeast ? 'atLeast' : 'exactly' },
      io,
    ));
  });
  return program;
}

function ttys(): { stdoutIsTTY: boolean; stderrIsTTY: boolean } {
  return { stdoutIsTTY: Boolean(process.stdout.isTTY), stderrIsTTY: Boolean(process.stderr.isTTY) };
}

/** Runs the CLI; resolves to the exit status (0 ok, 1 findings gate or check failed, 2 unusable input or arguments, 3 bug). */
export async function main(argv: readonly string[]): Promise<number> {
  // file names and messages may carry bytes from the input: never raw control characters
  const err = (line: string): void => { process.stderr.write(`tracker-anatomy: ${sanitize(line)}\n`); };
  const debug = argv.includes('--debug');
  // `tracker-anatomy ... | head`: the reader left; stop quietly instead of a stack trace
  process.stdout.on('error', (e: NodeJS.ErrnoException) => { if (e.code === 'EPIPE') process.exit(0); });
  const io = { stdout: (t: string) => { process.stdout.write(t); }, stderr: (t: string) => { process.stderr.write(t); } };
  let action: Action | null = null;
  try {
    const program = buildProgram((a) => { action = a; });
    try {
      program.parse([...argv]);
    } catch (e) {
      if (e instanceof CommanderError) {
        if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
        err(e.message.replace(/^error: /, ''));
        return 2;
      }
      throw e;
    }
    if (action === null) return 0;
    return await (action as Action)(io);
  } catch (e) {
    if (e instanceof OutputClosed) return 0;
    if (e instanceof InputError) {
      err(describeInputError(e));
      return 2;
    }
    const message = e instanceof Error ? e.message : String(e);
    err(`internal error: ${message} (please report this, with the --debug output)`);
    if (debug && e instanceof Error && e.stack) process.stderr.write(e.stack + '\n');
    return 3;
  }
}
