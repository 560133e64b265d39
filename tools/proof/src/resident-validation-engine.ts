import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ValidationRuleSet } from './engine-protocol';
import { sha256, validationVersions } from './validation-cache';

/** Set to `on` to use (and start) a resident engine; it is off unless asked for. */
export const VALIDATION_RESIDENT_ENV = 'KEELSON_VALIDATION_RESIDENT';
/** The directory that holds the resident engines' sockets; default `keelson-validation-<uid>` in the OS temporary directory. */
export const VALIDATION_RESIDENT_DIR_ENV = 'KEELSON_VALIDATION_RESIDENT_DIR';

/** A resident engine nobody asks for this long exits. */
export const RESIDENT_ENGINE_IDLE_MS = 15 * 60 * 1000;

/** What the resident engine process reads from its start file (its one argument, removed once read). */
export interface ResidentEngineStart {
  readonly address: string;
  readonly rules: ValidationRuleSet;
  readonly resourceTypes: string[];
  readonly idleMs: number;
}

/**
 * aws-cdk-lib's CloudFormation validation engine kept in a process of its own
 * between synths, so that a synth where one stack changed does not build it
 * again (about 2.4 s of CPU, more than the whole construction and synthesis of
 * the platform).
 *
 * The engine's WASM module and rule set cannot be saved to disk and loaded
 * faster than they are built, and an engine lives only as long as its process.
 * So, as Gradle's daemon and `eslint_d` do for their tools, a synth that had to
 * build the engine leaves one running behind it, listening on a Unix socket;
 * the next synth's prewarmed worker (`PrewarmedValidationEngine`) connects to it
 * instead of building its own. The resident process runs the same aws-cdk-lib
 * `CloudFormationValidatePlugin` class, from the same installation, on the same
 * template files, so a report is the same whichever process made it.
 *
 * One engine per rule set and set of versions: the socket's name is a hash of
 * the rules' content, the versions of aws-cdk-lib, the engine, cdk-nag and
 * Node, the aws-cdk-lib installation's path and the server's own code. An
 * upgrade therefore starts a new engine and the old one idles out.
 *
 * The socket lives in a directory only its owner can enter (checked before
 * every use), so no other user can answer in its place. The process exits
 * after {@link RESIDENT_ENGINE_IDLE_MS} without a request, or as soon as its
 * socket file is removed (`ResidentValidationEngine.stop`). Not on Windows.
 *
 * Opt-in (`KEELSON_VALIDATION_RESIDENT=on`, or `npm run synth -- --resident`):
 * a process that outlives the command that started it must be asked for. When
 * it starts, the synth prints one line saying so and how to stop it. It gets a
 * minimal environment (no `AWS_*` credentials, no tokens: it needs none) and
 * logs to a file beside its socket. Any failure to find, start or reach one
 * means "no engine": the synth validates in its own process, never fails.
 */
export class ResidentValidationEngine {
  /**
   * The socket of the resident engine for `rules`, or `undefined` where none
   * can be kept (Windows, or a socket directory another user could write to).
   */
  public static address(rules: ValidationRuleSet, directory?: string): string | undefined {
    try {
      const dir = directory ?? process.env[VALIDATION_RESIDENT_DIR_ENV] ?? defaultDirectory();
      if (dir === undefined || !privateDirectory(dir)) return undefined;
      const identity = sha256(JSON.stringify([
        validationVersions(),
        path.dirname(require.resolve('aws-cdk-lib/package.json')),
        rules.includeDefaultRules ?? true, rules.regoRules ?? [], rules.guardRules ?? [],
        ...serverFiles().map((file) => sha256(fs.readFileSync(file))),
      ]));
      // A Unix socket's path is limited to about 100 bytes: a short hash keeps it well under.
      return path.join(dir, `engine-${identity.slice(0, 16)}.sock`);
    } catch {
      return undefined;
    }
  }

  /** Whether a resident engine is (or was, until it exits) listening at `address`. */
  public static isListening(address: string): boolean {
    try {
      return fs.statSync(address).isSocket();
    } catch {
      return false;
    }
  }

  /**
   * Start a resident engine at `address` in a detached process, built for
   * `resourceTypes`, and return its pid at once (`undefined` if it could not be
   * started: the caller validates itself). If one is already listening there
   * the new process exits.
   */
  public static start(address: string, rules: ValidationRuleSet, resourceTypes: string[], idleMs = RESIDENT_ENGINE_IDLE_MS): number | undefined {
    try {
      const [entry, preload] = serverEntry();
      // Handed over in a file, written before the process starts: a pipe's write would wait for
      // this process's event loop, which a synth that ends with `process.exit` never gives it.
      const startFile = `${address}.${process.pid}.start.json`;
      const start: ResidentEngineStart = { address, rules, resourceTypes, idleMs };
      fs.writeFileSync(startFile, JSON.stringify(start), { mode: 0o600 });
      const log = fs.openSync(ResidentValidationEngine.logFile(address), 'a', 0o600);
      const child = spawn(process.execPath, [...preload, entry, startFile], {
        detached: true, stdio: ['ignore', log, log], env: residentEnvironment(),
      });
      fs.closeSync(log);
      // A spawn that fails later (no such binary) must not surface as an unhandled 'error'.
      child.on('error', () => undefined);
      child.unref();
      process.stderr.write(`keelson: started a resident CloudFormation validation engine (pid ${child.pid}; exits after ${idleMs >= 60_000 ? `${Math.round(idleMs / 60_000)} idle minutes` : `${Math.ceil(idleMs / 1000)} idle seconds`}); `
        + `stop it with: rm ${address}\n`);
      return child.pid;
    } catch {
      return undefined;
    }
  }

  /** Where the engine at `address` writes what it prints: beside its socket, in the private directory. */
  public static logFile(address: string): string {
    return `${address.replace(/\.sock$/, '')}.log`;
  }

  /** Stop the resident engine at `address`: it exits when it sees its socket gone (within a second). */
  public static stop(address: string): void {
    fs.rmSync(address, { force: true });
  }
}

/**
 * What the engine process inherits: enough to run Node and find temporary files, nothing else.
 * Never the caller's `AWS_*` credentials or tokens: validating templates needs no account.
 */
function residentEnvironment(): NodeJS.ProcessEnv {
  const keep = /^(PATH|HOME|TMPDIR|TMP|TEMP|LANG|LC_[A-Z]+|NODE_OPTIONS|NODE_PATH|TS_NODE_[A-Z_]+)$/;
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => keep.test(name)));
}

/**
 * The uid from the process itself: `os.userInfo()` throws for a uid with no passwd entry
 * (`docker run -u 1234`), and an engine is never worth a failed synth.
 */
function currentUid(): number | undefined {
  return typeof process.getuid === 'function' ? process.getuid() : undefined;
}

function defaultDirectory(): string | undefined {
  const uid = currentUid();
  return uid === undefined ? undefined : path.join(os.tmpdir(), `keelson-validation-${uid}`);
}

/** Make `directory` if needed; true only if it is this user's own and nobody else can enter it. */
function privateDirectory(directory: string): boolean {
  try {
    fs.mkdirSync(directory, { recursive: true, mode: 0o700 });
    const stat = fs.lstatSync(directory);
    // eslint-disable-next-line no-bitwise
    return stat.isDirectory() && stat.uid === currentUid() && (stat.mode & 0o077) === 0;
  } catch {
    return false;
  }
}

/** The server's script and what it loads, compiled (`.js`) or, in the harness's own tests, TypeScript through ts-node. */
function serverEntry(): [string, string[]] {
  const js = path.join(__dirname, 'validation-engine-server.js');
  if (fs.existsSync(js)) return [js, []];
  return [path.join(__dirname, 'validation-engine-server.ts'), ['-r', 'ts-node/register/transpile-only']];
}

function serverFiles(): string[] {
  const ext = fs.existsSync(path.join(__dirname, 'validation-engine-server.js')) ? '.js' : '.ts';
  return ['validation-engine-server', 'engine-warmup', 'engine-protocol'].map((name) => path.join(__dirname, `${name}${ext}`));
}
