import * as crypto from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/** Set to `off` (or `false`, `0`) to validate every stack on every synth, with nothing read or written. */
export const VALIDATION_CACHE_ENV = 'KEELSON_VALIDATION_CACHE';
/** Where the reports are kept; default `node_modules/.cache/keelson-validation` under the working directory's package. */
export const VALIDATION_CACHE_DIR_ENV = 'KEELSON_VALIDATION_CACHE_DIR';

/** Bump when the stored format or the key's recipe changes: older entries are then never read. */
const FORMAT = 3;

/**
 * The versions a validation report depends on besides its input: the
 * CloudFormation validation engine and its rules ship inside aws-cdk-lib
 * (`@aws/cloudformation-validate`, the Rego rules, the ignored rule ids), the
 * nag rules inside cdk-nag, and the Node version runs both.
 */
export interface ValidationVersions {
  readonly awsCdkLib: string;
  readonly cloudFormationValidate: string;
  readonly cdkNag: string;
  readonly node: string;
}

let versions: ValidationVersions | undefined;
/** Read from the packages' own package.json files, so the WASM engine is never loaded to ask it. */
export function validationVersions(): ValidationVersions {
  if (!versions) {
    const cdkLibManifest = require.resolve('aws-cdk-lib/package.json');
    const engineManifest = require.resolve('@aws/cloudformation-validate/package.json', { paths: [path.dirname(cdkLibManifest)] });
    versions = {
      awsCdkLib: readVersion(cdkLibManifest),
      cloudFormationValidate: readVersion(engineManifest),
      cdkNag: readVersion(require.resolve('cdk-nag/package.json')),
      node: process.version,
    };
  }
  return versions;
}

function readVersion(manifest: string): string {
  return JSON.parse(fs.readFileSync(manifest, 'utf8')).version;
}

/** sha256 of the canonical JSON of `parts` (object keys sorted), hex. */
export function cacheKey(parts: unknown): string {
  return sha256(canonicalJson({ format: FORMAT, ...validationVersions(), parts }));
}

export function sha256(data: string | Buffer): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (v && typeof v === 'object' && !Array.isArray(v) && !Buffer.isBuffer(v)
    ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]]))
    : v));
}

/** Hits and misses of one plugin in one synth (a miss is a stack the real plugin validated). */
export interface ValidationCacheStats {
  readonly plugin: string;
  readonly hits: number;
  readonly misses: number;
  /** Of the misses, those a prewarmed engine validated in its worker thread (CloudFormation validation only). */
  readonly inWorker?: number;
  /** Of the misses, those a resident engine validated in its own process (CloudFormation validation only). */
  readonly inResidentEngine?: number;
}

/**
 * Validation reports on disk, one file per key. Entries are written to a
 * temporary file and renamed into place, so concurrent jest workers and
 * parallel synths never read a half-written report; an unreadable entry is a
 * miss. Nothing is ever evicted: delete the directory to reclaim space.
 */
export class ValidationReportStore {
  /**
   * The store named by the environment, or `undefined` when `KEELSON_VALIDATION_CACHE=off`.
   *
   * @param directory overrides `KEELSON_VALIDATION_CACHE_DIR` and the default.
   */
  public static fromEnvironment(directory?: string): ValidationReportStore | undefined {
    if (/^(off|false|0|no)$/i.test(process.env[VALIDATION_CACHE_ENV] ?? '')) return undefined;
    return new ValidationReportStore(directory ?? process.env[VALIDATION_CACHE_DIR_ENV] ?? defaultCacheDirectory());
  }

  constructor(public readonly directory: string) {}

  public get<T>(key: string): T | undefined {
    try {
      const entry = JSON.parse(fs.readFileSync(this.file(key), 'utf8'));
      return entry.key === key ? entry.value as T : undefined;
    } catch {
      return undefined;
    }
  }

  public put(key: string, value: unknown): void {
    const file = this.file(key);
    const temporary = `${file}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`;
    try {
      fs.mkdirSync(path.dirname(file), { recursive: true });
      fs.writeFileSync(temporary, JSON.stringify({ key, value }));
      fs.renameSync(temporary, file);
    } catch {
      // A cache that cannot be written (read-only checkout, full disk) only costs time next synth.
      fs.rmSync(temporary, { force: true });
    }
  }

  private file(key: string): string {
    return path.join(this.directory, key.slice(0, 2), `${key}.json`);
  }
}

/** `node_modules/.cache/keelson-validation` in the nearest directory (from the working directory up) that has `node_modules`. */
function defaultCacheDirectory(): string {
  let dir = process.cwd();
  while (!fs.existsSync(path.join(dir, 'node_modules')) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  return path.join(dir, 'node_modules', '.cache', 'keelson-validation');
}
