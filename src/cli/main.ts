/**
 * The command line: parse -> validate -> config -> run -> exit code. The only code that sees argv,
 * the environment and the process; everything below it takes a config and returns values.
 */
import { Command, CommanderError, Option } from 'commander';
import { InputError, describeInputError } from '../errors.js';
import { OPTIONS, type OptionSpec } from './options.js';
import { buildConfig, type CliValues } from './config.js';
import { execute } from './execute.js';
import { OutputClosed } from './output.js';

export const VERSION = '0.1.0';

const EXAMPLES = `
Examples:
  tracker-anatomy session.pcap                      every client session, explained
  tracker-anatomy --format json session.pcap > out.json
  tcpdump -i eth0 -w - port 80 | tracker-anatomy -  read a live capture from stdin
  tracker-anatomy /var/log/nginx/access.log         an nginx access log (format detected)
  tracker-anatomy --rules xbt --interval 1800 a.pcap
`;

function addOption(cmd: Command, spec: OptionSpec): void {
  const opt = new Option(spec.flags, spec.description);
  if (spec.kind === 'choice' && spec.choices) opt.choices([...spec.choices]);
  if (spec.defaultValue !== undefined && spec.kind !== 'flag') opt.default(spec.defaultValue);
  if (spec.kind === 'list') opt.argParser((v: string, prev: string[] | undefined) => [...(prev ?? []), v]);
  cmd.addOption(opt);
}

/** Builds the commander program (also used to generate the README option list and the man page). */
export function buildProgram(): Command {
  const program = new Command('tracker-anatomy')
    .description('Replay BitTorrent tracker announces from packet captures and proxy access logs through an embedded tracker, and explain every client session.')
    .version(VERSION, '-V, --version')
    .argument('<inputs...>', "capture (pcap, pcapng) or access log files; '-' reads stdin; .gz is decompressed")
    .addHelpText('after', EXAMPLES)
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({ writeErr: () => undefined, writeOut: (s) => process.stdout.write(s) });
  for (const spec of OPTIONS) addOption(program, spec);
  return program;
}

/** Runs the CLI; resolves to the exit status (0 ok, 1 findings gate, 2 unusable input or arguments). */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  const err = (line: string): void => { process.stderr.write(`tracker-anatomy: ${line}\n`); };
  let debug = argv.includes('--debug');
  try {
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
    const values = program.opts() as CliValues;
    debug = Boolean(values.debug);
    const config = buildConfig(program.args, values, process.env, {
      stdoutIsTTY: Boolean(process.stdout.isTTY), stderrIsTTY: Boolean(process.stderr.isTTY),
    });
    return await execute(config, { stderr: (s) => process.stderr.write(s) });
  } catch (e) {
    if (e instanceof OutputClosed) return 0;
    if (e instanceof InputError) {
      err(describeInputError(e));
      return 2;
    }
    const message = e instanceof Error ? e.message : String(e);
    err(`internal error: ${message} (please report this, with --debug output)`);
    if (debug && e instanceof Error && e.stack) process.stderr.write(e.stack + '\n');
    return 3;
  }
}
