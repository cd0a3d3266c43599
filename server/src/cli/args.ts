import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors.js';

export type CommandName = 'check' | 'stats' | 'diff' | 'report' | 'explain' | 'init' | 'sql' | 'export' | 'import' | 'rollout' | 'fmt' | 'lsp' | 'discover' | 'persona';

export const COMMANDS: readonly CommandName[] = ['check', 'stats', 'diff', 'report', 'explain', 'init', 'sql', 'export', 'import', 'rollout', 'fmt', 'lsp', 'discover', 'persona'];

type Options = NonNullable<ParseArgsConfig['options']>;

/** Options every command accepts. */
const SHARED: Options = {
  'as-of': { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  'no-color': { type: 'boolean' },
  color: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' },
};

const PER_COMMAND: Record<CommandName, Options> = {
  check: { format: { type: 'string', short: 'f' }, 'fail-on': { type: 'string' }, engine: { type: 'string' }, db: { type: 'string' } },
  stats: { format: { type: 'string', short: 'f' }, engine: { type: 'string' }, db: { type: 'string' }, members: { type: 'boolean' } },
  diff: {
    base: { type: 'string', short: 'b' },
    format: { type: 'string', short: 'f' },
    'fail-on': { type: 'string' },
    engine: { type: 'string' },
    db: { type: 'string' },
  },
  report: { out: { type: 'string', short: 'o' }, engine: { type: 'string' }, db: { type: 'string' } },
  explain: { key: { type: 'string', short: 'k' }, profile: { type: 'string', short: 'p' } },
  init: { from: { type: 'string', multiple: true } },
  sql: { dialect: { type: 'string', short: 'd' }, count: { type: 'boolean' }, select: { type: 'boolean' } },
  export: { to: { type: 'string', short: 't' }, flag: { type: 'string' }, rollout: { type: 'string' }, seed: { type: 'string' }, salt: { type: 'string' }, context: { type: 'string' }, out: { type: 'string', short: 'o' } },
  import: { from: { type: 'string' }, flag: { type: 'string' }, context: { type: 'string' }, dataset: { type: 'string', short: 'd' }, out: { type: 'string', short: 'o' } },
  rollout: {
    system: { type: 'string', short: 's' },
    flag: { type: 'string' },
    percent: { type: 'string', short: 'p' },
    seed: { type: 'string' },
    salt: { type: 'string' },
    format: { type: 'string', short: 'f' },
  },
  fmt: { check: { type: 'boolean' } },
  lsp: { stdio: { type: 'boolean' }, 'node-ipc': { type: 'boolean' }, 'clientProcessId': { type: 'string' } },
  discover: {
    target: { type: 'string', short: 't' },
    dataset: { type: 'string', short: 'd' },
    max: { type: 'string', short: 'k' },
    depth: { type: 'string' },
    'min-size': { type: 'string' },
    quality: { type: 'string' },
    plain: { type: 'boolean' },
    clusters: { type: 'string' },
    format: { type: 'string', short: 'f' },
    write: { type: 'string', short: 'w' },
    engine: { type: 'string' },
    db: { type: 'string' },
  },
  persona: { name: { type: 'string', short: 'n' }, write: { type: 'string', short: 'w' } },
};

export interface SharedOptions {
  asOf?: string;
  quiet: boolean;
  noColor: boolean;
  help: boolean;
  version: boolean;
}

export interface ParsedCommand {
  command: CommandName;
  positionals: string[];
  shared: SharedOptions;
  /** The command's own options, by long name. */
  values: Record<string, string | boolean | string[] | undefined>;
}

export type ParsedArgs =
  | { kind: 'command'; parsed: ParsedCommand }
  | { kind: 'help'; command?: CommandName }
  | { kind: 'version' };

/** Splits `segspec <command> [options] [args]`; throws UsageError with a readable reason. */
export function parseCommandLine(argv: readonly string[]): ParsedArgs {
  const [first, ...rest] = argv;
  if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
    const topic = first === 'help' ? rest[0] : undefined;
    if (topic !== undefined && !isCommand(topic)) throw new UsageError(`unknown command '${topic}'`);
    return { kind: 'help', command: topic as CommandName | undefined };
  }
  if (first === '--version' || first === '-v') return { kind: 'version' };
  if (!isCommand(first)) {
    if (first.startsWith('-')) throw new UsageError(`expected a command before '${first}'`);
    throw new UsageError(`unknown command '${first}'${suggestCommand(first)}`);
  }
  let result;
  try {
    result = parseArgs({
      args: [...rest],
      options: { ...SHARED, ...PER_COMMAND[first] },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    throw new UsageError(cleanParseError((e as Error).message), first);
  }
  const v = result.values as Record<string, string | boolean | string[] | undefined>;
  if (v.help) return { kind: 'help', command: first };
  if (v.version) return { kind: 'version' };
  const asOf = v['as-of'];
  if (typeof asOf === 'string' && !isIsoDate(asOf)) {
    throw new UsageError(`--as-of expects a date like 2026-06-30, got '${asOf}'`, first);
  }
  return {
    kind: 'command',
    parsed: {
      command: first,
      positionals: result.positionals,
      shared: {
        asOf: typeof asOf === 'string' ? asOf : undefined,
        quiet: v.quiet === true,
        noColor: v['no-color'] === true && v.color !== true,
        help: false,
        version: false,
      },
      values: v,
    },
  };
}

export function isCommand(s: string): s is CommandName {
  return (COMMANDS as readonly string[]).includes(s);
}

function isIsoDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

function suggestCommand(s: string): string {
  const near = COMMANDS.find((c) => c.startsWith(s.slice(0, 2)));
  return near ? ` (did you mean '${near}'?)` : '';
}

/** Node's messages end with advice about `--`; keep the first sentence. */
function cleanParseError(message: string): string {
  return message.split('. To specify')[0].replace(/\.$/, '');
}

/** A string option restricted to a set of values. */
export function choice<T extends string>(
  parsed: ParsedCommand,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const raw = parsed.values[name];
  if (raw === undefined) return fallback;
  if (typeof raw !== 'string' || !(allowed as readonly string[]).includes(raw)) {
    throw new UsageError(`--${name} must be one of ${allowed.join(', ')}; got '${String(raw)}'`, parsed.command);
  }
  return raw as T;
}

export function stringOption(parsed: ParsedCommand, name: string): string | undefined {
  const raw = parsed.values[name];
  return typeof raw === 'string' ? raw : undefined;
}

/** A repeatable string option (`--from a.csv --from b.jsonl`), in the order given. */
export function stringOptions(parsed: ParsedCommand, name: string): string[] {
  const raw = parsed.values[name];
  return Array.isArray(raw) ? raw : typeof raw === 'string' ? [raw] : [];
}

export function flag(parsed: ParsedCommand, name: string): boolean {
  return parsed.values[name] === true;
}
