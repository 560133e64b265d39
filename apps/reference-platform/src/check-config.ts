/**
 * `npm run check-config [file] [--environment <name>] [--overrides '<json>']`
 *
 * Validates a config without synthesizing: the same layers `cdk synth` reads
 * (defaults, the file, the environment, the overrides, the account from
 * CDK_DEFAULT_ACCOUNT) and the same checks, with no CDK code loaded. Prints
 * one line per error on stderr and exits 1; prints one line and exits 0 when
 * the config is valid, after a `warning: ` line on stderr per setting that
 * would do nothing; exits 2 on a usage error. Without a file argument it
 * reads keelson.config.yaml (or .yml, .json) in the app folder.
 */
import * as path from 'path';
import { configProblems, ConfigError, configWarnings, CONTEXT_KEYS, formatProblem, resolveFromContext } from './config';

function main(argv: string[]): number {
  const context: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Usage(`${arg} needs a value`);
      return v;
    };
    if (arg === '--environment' || arg === '-e') context[CONTEXT_KEYS.environment] = value();
    else if (arg === '--overrides') context[CONTEXT_KEYS.overrides] = value();
    else if (arg === '--help' || arg === '-h') throw new Usage('');
    else if (arg.startsWith('-')) throw new Usage(`unknown option ${arg}`);
    else if (context[CONTEXT_KEYS.configFile]) throw new Usage('give one config file');
    // npm runs the script in the app folder; a path is relative to where the user typed it.
    else context[CONTEXT_KEYS.configFile] = path.resolve(process.env.INIT_CWD ?? process.cwd(), arg);
  }
  let resolved;
  try {
    resolved = resolveFromContext({ tryGetContext: (key: string) => context[key] });
  } catch (e) {
    const lines = e instanceof ConfigError ? e.message : (e as Error).message;
    process.stderr.write(`${lines}\n`);
    return 1;
  }
  const problems = configProblems(resolved.config);
  const { file, environmentFile, environment } = resolved.sources;
  const what = [file ?? 'defaults (no keelson.config.yaml)', `environment ${environment}`, ...(environmentFile ? [environmentFile] : [])].join(', ');
  if (problems.length > 0) {
    process.stderr.write(problems.map((p) => `${formatProblem(p)}\n`).join(''));
    return 1;
  }
  // Settings that do nothing: named on stderr, and the config is still valid.
  const warnings = configWarnings(resolved.config);
  process.stderr.write(warnings.map((p) => `warning: ${formatProblem(p)}\n`).join(''));
  process.stdout.write(`config valid: ${what}${warnings.length ? ` (${warnings.length} warning${warnings.length > 1 ? 's' : ''})` : ''}\n`);
  return 0;
}

class Usage extends Error {}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (e) {
  if (!(e instanceof Usage)) throw e;
  if (e.message) process.stderr.write(`check-config: ${e.message}\n`);
  process.stderr.write('usage: npm run check-config -- [file] [--environment dev|staging|prod] [--overrides \'<json>\']\n');
  process.exitCode = 2;
}
