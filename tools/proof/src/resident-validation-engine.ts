import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { ValidationRuleSet } from './prewarmed-validation-engine';
import { sha256, validationVersions } from './validation-cache';

/** Set to `off` (or `false`, `0`) to never use or start a resident engine, `on` to use one in tests and CI too. */
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
 */
export class ResidentValidationEngine {
  /**
   * The socket of the resident engine for `rules`, or `undefined` where none
   * can be kept (Windows, or a socket directory another user could write to).
   */
  public static address(rules: ValidationRuleSet, directory = process.env[VALIDATION_RESIDENT_DIR_ENV] ?? defaultDirectory()): string | undefined {
    if (process.platform === 'win32' || !privateDirectory(directory)) return undefined;
    const identity = sha256(JSON.stringify([
      validationVersions(),
      path.dirname(require.resolve('aws-cdk-lib/package.json')),
      rules.includeDefaultRules ?? true, rules.regoRules ?? [], rules.guardRules ?? [],
      ...serverFiles().map((file) => sha256(fs.readFileSync(file))),
    ]));
    // A Unix socket's path is limited to about 100 bytes: a short hash keeps it well under.
    return path.join(directory, `engine-${identity.slice(0, 16)}.sock`);
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
   * `resourceTypes`, and return at once. If one is already listening there the
   * new process exits.
   */
  public static start(address: string, rules: ValidationRuleSet, resourceTypes: string[], idleMs = RESIDENT_ENGINE_IDLE_MS): void {
    const [entry, preload] = serverEntry();
    // Handed over in a file, written before the process starts: a pipe's write would wait for
    // this process's event loop, which a synth that ends with `process.exit` never gives it.
    const startFile = `${address}.${process.pid}.start.json`;
    const start: ResidentEngineStart = { address, rules, resourceTypes, idleMs };
    fs.writeFileSync(startFile, JSON.stringify(start), { mode: 0o600 });
    spawn(process.execPath, [...preload, entry, startFile], { detached: true, stdio: 'ignore' }).unref();
  }

  /** Stop the resident engine at `address`: it exits when it sees its socket gone (within a second). */
  public static stop(address: string): void {
    fs.rmSync(address, { force: true });
  }
}

function defaultDirectory(): string {
  return path.join(os.tmpdir(), `keelson-validation-${os.userInfo().uid}`);
}

/** Make `directory` if needed; true only if it is this user's own and nobody else can enter it. */
function privateDirectory(directory: string): boolean {
  try {
    fs.mkdirSync(directory, { recursive: true, mode: 0o700 });
    const stat = fs.lstatSync(directory);
    // eslint-disable-next-line no-bitwise
    return stat.isDirectory() && stat.uid === os.userInfo().uid && (stat.mode & 0o077) === 0;
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
