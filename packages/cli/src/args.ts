import { parseArgs } from 'node:util';
import { UsageError } from './errors.ts';

export interface OptionSpec {
  type: 'string' | 'boolean';
  /** The value's placeholder in help, e.g. `<name>`. */
  value?: string;
  description: string;
}

export interface CommandSpec {
  name: string;
  summary: string;
  /** The one argument every command takes, e.g. `entity` or `release-id`. */
  argument: { name: string; description: string };
  options: Record<string, OptionSpec>;
  required?: string[];
}

export interface ParsedArgs {
  argument: string;
  strings: Record<string, string | undefined>;
  flags: Record<string, boolean>;
}

/** Options every command takes. */
export const COMMON_OPTIONS: Record<string, OptionSpec> = {
  url: {
    type: 'string',
    value: '<url>',
    description:
      "the portal backend's base URL (default: $AUTONOMOUS_URL), e.g. http://localhost:7007",
  },
  token: {
    type: 'string',
    value: '<token>',
    description: 'a Backstage token (default: $AUTONOMOUS_TOKEN)',
  },
  help: { type: 'boolean', description: 'show this help' },
};

function optionLabel(name: string, option: OptionSpec): string {
  return option.value ? `--${name} ${option.value}` : `--${name}`;
}

export function usageLine(spec: CommandSpec): string {
  const parts = [`autonomous ${spec.name}`, `<${spec.argument.name}>`];
  for (const [name, option] of Object.entries(spec.options)) {
    const label = optionLabel(name, option);
    parts.push(spec.required?.includes(name) ? label : `[${label}]`);
  }
  return `usage: ${parts.join(' ')}`;
}

export function helpText(spec: CommandSpec): string {
  const rows: Array<[string, string]> = [
    [`<${spec.argument.name}>`, spec.argument.description],
    ...Object.entries({ ...spec.options, ...COMMON_OPTIONS }).map(
      ([name, option]): [string, string] => [
        optionLabel(name, option),
        option.description,
      ],
    ),
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return [
    usageLine(spec),
    '',
    spec.summary,
    '',
    ...rows.map(([label, text]) => `  ${label.padEnd(width)}  ${text}`),
    '',
  ].join('\n');
}

/**
 * Reads a command's arguments. `node:util` parseArgs in strict mode reports unknown options in
 * its own words; it runs loose here and the tokens are checked against the spec instead, so
 * every mistake gets a message naming the option and the usage line.
 */
export function parseCommandArgs(
  spec: CommandSpec,
  argv: string[],
): ParsedArgs | 'help' {
  const known = { ...spec.options, ...COMMON_OPTIONS };
  const { tokens } = parseArgs({
    args: argv,
    options: Object.fromEntries(
      Object.entries(known).map(([name, option]) => [
        name,
        name === 'help'
          ? { type: option.type, short: 'h' }
          : { type: option.type },
      ]),
    ),
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  const usage = usageLine(spec);
  if (tokens.some(t => t.kind === 'option' && t.name === 'help')) {
    return 'help';
  }
  const strings: Record<string, string | undefined> = {};
  const flags: Record<string, boolean> = {};
  const positionals: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional') {
      positionals.push(token.value);
      continue;
    }
    if (token.kind !== 'option') continue;
    const option = known[token.name];
    if (!option) {
      throw new UsageError(`unknown option ${token.rawName}`, usage);
    }
    if (token.name in strings || token.name in flags) {
      throw new UsageError(`${token.rawName} is given more than once`, usage);
    }
    if (option.type === 'boolean') {
      if (token.inlineValue) {
        throw new UsageError(`${token.rawName} takes no value`, usage);
      }
      flags[token.name] = true;
      continue;
    }
    const value = token.value;
    if (value === undefined || (!token.inlineValue && value.startsWith('-'))) {
      throw new UsageError(
        `${token.rawName} needs a value: ${optionLabel(token.name, option)}`,
        usage,
      );
    }
    if (!value.trim()) {
      throw new UsageError(`${token.rawName} must not be empty`, usage);
    }
    strings[token.name] = value;
  }
  if (positionals.length === 0) {
    throw new UsageError(`missing <${spec.argument.name}>`, usage);
  }
  if (positionals.length > 1) {
    throw new UsageError(`unexpected argument "${positionals[1]}"`, usage);
  }
  for (const name of spec.required ?? []) {
    if (strings[name] === undefined) {
      throw new UsageError(`missing ${optionLabel(name, known[name])}`, usage);
    }
  }
  return { argument: positionals[0], strings, flags };
}
