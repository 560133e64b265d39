import * as fs from 'fs';
import * as path from 'path';
import { parseDocument } from 'yaml';
import { ConfigProblem } from './semantic-checks';

/** The largest config file read: settings fit in a few kB; anything near this is not a config. */
export const MAX_CONFIG_FILE_BYTES = 1024 * 1024;

/** Aliases a config file may expand: enough for anchors reused by hand, far below a "billion laughs". */
const MAX_ALIAS_COUNT = 100;

/** An environment name that is safe in a file name (and a CloudFormation stack name). */
export const ENVIRONMENT_NAME = /^[a-z][a-z0-9-]{0,15}$/;

/** The names a config file may have in the app folder, in the order they are looked for. */
export const CONFIG_FILE_NAMES = ['keelson.config.yaml', 'keelson.config.yml', 'keelson.config.json'] as const;

/** A config file, read: its path and contents, or the problems that stopped it being read. */
export interface ConfigFile {
  readonly path: string;
  /** The file's settings (`$schema` removed); undefined when it could not be read. */
  readonly content?: Record<string, unknown>;
  readonly problems: ConfigProblem[];
}

/**
 * The config file in `dir`, or undefined when there is none. Two files in one folder are an error.
 *
 * @param environment look for the environment's file, `keelson.config.<environment>.yaml` (or .yml, .json)
 */
export function findConfigFile(dir: string, environment?: string): string | undefined {
  if (environment !== undefined && !ENVIRONMENT_NAME.test(environment)) {
    throw new Error(`config.environment: ${JSON.stringify(environment)} is not an environment name. Fix: use 1–16 lowercase letters, digits or hyphens, starting with a letter`);
  }
  const names = CONFIG_FILE_NAMES.map((name) => (environment ? name.replace('keelson.config.', `keelson.config.${environment}.`) : name));
  const found = names.map((name) => path.join(dir, name)).filter((p) => fs.existsSync(p));
  if (found.length > 1) {
    throw new Error(`config: ${found.map((f) => path.basename(f)).join(' and ')} are both in ${dir}. Fix: keep one of them`);
  }
  return found[0];
}

/**
 * Read a YAML or JSON config file. YAML syntax errors, warnings (an unknown
 * tag, a YAML 1.1 directive), duplicate keys, a top level that is not a
 * mapping, a file over {@link MAX_CONFIG_FILE_BYTES} and aliases that expand
 * past a hundred (an "alias bomb") are reported, with the file's name and
 * the line, as problems.
 */
export function readConfigFile(file: string): ConfigFile {
  const name = path.basename(file);
  let text: string;
  try {
    const size = fs.statSync(file).size;
    if (size > MAX_CONFIG_FILE_BYTES) {
      return { path: file, problems: [{ path: '', problem: `${name} is ${size} bytes, more than the ${MAX_CONFIG_FILE_BYTES} a config file may be`, fix: 'keep only settings in the config file' }] };
    }
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return { path: file, problems: [{ path: '', problem: `${file} cannot be read (${(e as NodeJS.ErrnoException).code})`, fix: 'check the path' }] };
  }
  // JSON is YAML 1.2, so one parser reads both, with line numbers for both.
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  // A warning means the file does not say what it seems to (an ignored tag or directive): an error here.
  const issues = [...doc.errors, ...doc.warnings];
  if (issues.length > 0) {
    return {
      path: file,
      problems: issues.map((e) => ({
        path: '',
        problem: `${name} line ${e.linePos?.[0].line ?? '?'}: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`,
        fix: 'correct the YAML/JSON there',
      })),
    };
  }
  let content: unknown;
  try {
    content = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    return { path: file, problems: [{ path: '', problem: `${name}: ${(e as Error).message}`, fix: `use aliases (*name) only for small repeated settings, at most ${MAX_ALIAS_COUNT} expansions` }] };
  }
  if (content === null || content === undefined) return { path: file, content: {}, problems: [] };
  if (typeof content !== 'object' || Array.isArray(content)) {
    return { path: file, problems: [{ path: '', problem: `${name} holds ${Array.isArray(content) ? 'a list' : 'a single value'}, not settings`, fix: 'write settings as keys, for example "primary:" and "cluster:"' }] };
  }
  const { $schema: _schema, ...settings } = content as Record<string, unknown>;
  return { path: file, content: settings, problems: [] };
}
