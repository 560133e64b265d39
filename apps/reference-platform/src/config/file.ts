import * as fs from 'fs';
import * as path from 'path';
import { parseDocument } from 'yaml';
import { ConfigProblem } from './semantic-checks';

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
  const names = CONFIG_FILE_NAMES.map((name) => (environment ? name.replace('keelson.config.', `keelson.config.${environment}.`) : name));
  const found = names.map((name) => path.join(dir, name)).filter((p) => fs.existsSync(p));
  if (found.length > 1) {
    throw new Error(`config: ${found.map((f) => path.basename(f)).join(' and ')} are both in ${dir}. Fix: keep one of them`);
  }
  return found[0];
}

/**
 * Read a YAML or JSON config file. YAML syntax errors, duplicate keys and a
 * top level that is not a mapping are reported with their line, as problems.
 */
export function readConfigFile(file: string): ConfigFile {
  const name = path.basename(file);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return { path: file, problems: [{ path: '', problem: `${file} cannot be read (${(e as NodeJS.ErrnoException).code})`, fix: 'check the path' }] };
  }
  // JSON is YAML 1.2, so one parser reads both, with line numbers for both.
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    return {
      path: file,
      problems: doc.errors.map((e) => ({
        path: '',
        problem: `${name} line ${e.linePos?.[0].line ?? '?'}: ${e.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')}`,
        fix: 'correct the YAML/JSON syntax there',
      })),
    };
  }
  const content = doc.toJS();
  if (content === null || content === undefined) return { path: file, content: {}, problems: [] };
  if (typeof content !== 'object' || Array.isArray(content)) {
    return { path: file, problems: [{ path: '', problem: `${name} holds ${Array.isArray(content) ? 'a list' : 'a single value'}, not settings`, fix: 'write settings as keys, for example "primary:" and "cluster:"' }] };
  }
  const { $schema: _schema, ...settings } = content as Record<string, unknown>;
  return { path: file, content: settings, problems: [] };
}
