import { spawn, spawnSync } from 'child_process';
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/** One cfn-lint match. */
export interface CfnLintFinding {
  readonly rule: string;
  readonly level: 'Error' | 'Warning' | 'Informational';
  readonly message: string;
  readonly file: string;
  readonly path: string;
}

export interface CfnLintResult {
  /** False when cfn-lint is not installed; see `skipReason`. */
  readonly ran: boolean;
  /** How many templates' findings came from `cacheDir` instead of a run. */
  readonly cached?: number;
  /** Why cfn-lint did not run. */
  readonly skipReason?: string;
  readonly findings: CfnLintFinding[];
  /** Only the `Error`-level findings: the gate. */
  readonly errors: CfnLintFinding[];
}

export interface CfnLintOptions {
  /** Regions to lint for. @default ['ap-southeast-1', 'us-west-2'] */
  readonly regions?: string[];
  /** cfn-lint config file. @default the nearest `.cfnlintrc.yaml` above the working directory */
  readonly configFile?: string;
  /**
   * A directory to keep each template's findings in, keyed by the template's
   * bytes, the regions, the config file and the cfn-lint version. A template
   * with a key already there is not linted again: cfn-lint would report the
   * same findings. Only {@link cfnLintAsync} reads it.
   * @default no cache: every template is linted
   */
  readonly cacheDir?: string;
}

const DEFAULT_REGIONS = ['ap-southeast-1', 'us-west-2'];
const INSTALL_HINT = 'install the pinned version with `eval "$(bash .ci/python-tools)"` (or `pip install cfn-lint==<the version in .ci/python-tools.txt>`) and re-run';

/** Whether cfn-lint can run here, and if not, why. */
export interface CfnLintAvailability {
  readonly available: boolean;
  readonly reason?: string;
  /** What `cfn-lint --version` printed. */
  readonly version?: string;
}

// `cfn-lint --version` imports all of cfn-lint (about 3 s), so each process asks once.
let availability: CfnLintAvailability | undefined;
let availabilityProbe: Promise<CfnLintAvailability> | undefined;

function availabilityOf(status: number | null, stdout: string, error?: Error): CfnLintAvailability {
  if (error || status !== 0) return { available: false, reason: `cfn-lint is not installed on this machine: ${INSTALL_HINT}` };
  return { available: true, version: stdout.trim() };
}

/** Whether cfn-lint can run here (and its version), and if not, why. */
export function cfnLintAvailability(): CfnLintAvailability {
  if (!availability) {
    const probe = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
    availability = availabilityOf(probe.status, probe.stdout, probe.error);
  }
  return availability;
}

/**
 * Whether a cfn-lint test should run here: wherever cfn-lint is installed, and
 * always under CI (`CI=true`), where a missing cfn-lint must fail the gate
 * (`cfnLint` throws) rather than skip it.
 */
export function cfnLintRunsHere(): boolean {
  return process.env.CI === 'true' || cfnLintAvailability().available;
}

/** {@link cfnLintAvailability} without blocking. */
export function cfnLintAvailabilityAsync(): Promise<CfnLintAvailability> {
  if (availability) return Promise.resolve(availability);
  availabilityProbe ??= new Promise((resolve) => {
    const child = spawn('cfn-lint', ['--version']);
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.on('error', (error) => resolve(availabilityOf(null, '', error)));
    child.on('close', (status) => resolve(availability = availabilityOf(status, stdout)));
  });
  return availabilityProbe;
}

/**
 * Run cfn-lint over synthesized templates. Where cfn-lint is missing the
 * result says so (`ran: false`) instead of passing; under CI (`CI=true`)
 * a missing cfn-lint is an error, because a gate that silently skips is no gate.
 */
export function cfnLint(templatePaths: string[], options: CfnLintOptions = {}): CfnLintResult {
  const skipped = skipWhenMissing();
  if (skipped) return skipped;
  const run = spawnSync('cfn-lint', cfnLintArgs(templatePaths, options), { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return parseRun(run.status, run.stdout, run.stderr, run.error);
}

/**
 * {@link cfnLint} without blocking, so several template sets (one per region)
 * lint in parallel; with `cacheDir`, only templates it has not seen are linted.
 */
export async function cfnLintAsync(templatePaths: string[], options: CfnLintOptions = {}): Promise<CfnLintResult> {
  const probed = await cfnLintAvailabilityAsync();
  const skipped = skipWhenMissing(probed);
  if (skipped) return skipped;
  if (!options.cacheDir) return spawnCfnLint(templatePaths, options);

  const keys = new Map(templatePaths.map((file) => [file, cacheKey(file, options, probed.version!)]));
  const entry = (file: string) => path.join(options.cacheDir!, `${keys.get(file)}.json`);
  const hits = templatePaths.filter((file) => fs.existsSync(entry(file)));
  const misses = templatePaths.filter((file) => !hits.includes(file));
  const fresh = misses.length > 0 ? await spawnCfnLint(misses, options) : { findings: [] as CfnLintFinding[] };
  const attributed = misses.map((file) => fresh.findings.filter((f) => path.resolve(f.file) === path.resolve(file)));
  if (attributed.flat().length !== fresh.findings.length) {
    throw new Error(`cfn-lint reported findings for files it was not given: ${fresh.findings.map((f) => f.file).join(', ')}`);
  }
  fs.mkdirSync(options.cacheDir, { recursive: true });
  // Whole entries only: written beside, then renamed, so a parallel reader never sees half of one.
  misses.forEach((file, i) => {
    const temporary = `${entry(file)}.${process.pid}.${i}.tmp`;
    fs.writeFileSync(temporary, JSON.stringify(attributed[i].map(({ file: _, ...rest }) => rest)));
    fs.renameSync(temporary, entry(file));
  });
  const findings = templatePaths.flatMap((file) => (JSON.parse(fs.readFileSync(entry(file), 'utf8')) as Omit<CfnLintFinding, 'file'>[])
    .map((f) => ({ ...f, file })));
  return { ran: true, cached: hits.length, findings, errors: findings.filter((f) => f.level === 'Error') };
}

function cacheKey(file: string, options: CfnLintOptions, version: string): string {
  const configFile = options.configFile ?? findUp('.cfnlintrc.yaml');
  return createHash('sha256')
    .update(JSON.stringify({ version, regions: options.regions ?? DEFAULT_REGIONS, config: configFile ? fs.readFileSync(configFile, 'utf8') : '' }))
    .update(fs.readFileSync(file))
    .digest('hex');
}

function spawnCfnLint(templatePaths: string[], options: CfnLintOptions): Promise<CfnLintResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('cfn-lint', cfnLintArgs(templatePaths, options));
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (status) => {
      try {
        resolve(parseRun(status, stdout, stderr));
      } catch (e) {
        reject(e);
      }
    });
  });
}

function skipWhenMissing(probed = cfnLintAvailability()): CfnLintResult | undefined {
  if (probed.available) return undefined;
  if (process.env.CI === 'true') throw new Error(`CI requires cfn-lint: ${probed.reason}`);
  return { ran: false, skipReason: probed.reason, findings: [], errors: [] };
}

function cfnLintArgs(templatePaths: string[], options: CfnLintOptions): string[] {
  if (templatePaths.length === 0) throw new Error('cfnLint: no templates given');
  const configFile = options.configFile ?? findUp('.cfnlintrc.yaml');
  return [
    '--format', 'json',
    '--regions', ...(options.regions ?? DEFAULT_REGIONS),
    ...(configFile ? ['--config-file', configFile] : []),
    '--', ...templatePaths,
  ];
}

function parseRun(status: number | null, stdout: string, stderr: string, error?: Error): CfnLintResult {
  // Exit code is a bitmask (2 error, 4 warning, 8 informational); 1 means cfn-lint itself failed.
  if (status === 1 || error) {
    throw new Error(`cfn-lint failed to run: ${error?.message ?? stderr}`);
  }
  const raw = JSON.parse(stdout || '[]') as any[];
  const findings: CfnLintFinding[] = raw.map((m) => ({
    rule: m.Rule?.Id,
    level: m.Level,
    message: m.Message,
    file: m.Filename,
    path: (m.Location?.Path ?? []).join('/'),
  }));
  return { ran: true, findings, errors: findings.filter((f) => f.level === 'Error') };
}

function findUp(name: string, from: string = process.cwd()): string | undefined {
  let dir = path.resolve(from);
  for (;;) {
    const candidate = path.join(dir, name);
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** cfn-lint findings as readable lines, for assertion messages. */
export function formatCfnLint(findings: CfnLintFinding[]): string {
  return findings.map((f) => `${f.rule} ${f.level} ${path.basename(f.file)} ${f.path}: ${f.message}`).join('\n');
}
