import { spawn, spawnSync } from 'child_process';
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
}

const INSTALL_HINT = 'install it with `pip install cfn-lint` (Python 3.9+) and re-run';

/** Whether cfn-lint can run here, and if not, why. */
export function cfnLintAvailability(): { available: boolean; reason?: string } {
  const probe = spawnSync('cfn-lint', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) {
    return { available: false, reason: `cfn-lint is not installed on this machine: ${INSTALL_HINT}` };
  }
  return { available: true };
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
 * lint in parallel.
 */
export function cfnLintAsync(templatePaths: string[], options: CfnLintOptions = {}): Promise<CfnLintResult> {
  const skipped = skipWhenMissing();
  if (skipped) return Promise.resolve(skipped);
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

function skipWhenMissing(): CfnLintResult | undefined {
  const availability = cfnLintAvailability();
  if (availability.available) return undefined;
  if (process.env.CI === 'true') throw new Error(`CI requires cfn-lint: ${availability.reason}`);
  return { ran: false, skipReason: availability.reason, findings: [], errors: [] };
}

function cfnLintArgs(templatePaths: string[], options: CfnLintOptions): string[] {
  if (templatePaths.length === 0) throw new Error('cfnLint: no templates given');
  const configFile = options.configFile ?? findUp('.cfnlintrc.yaml');
  return [
    '--format', 'json',
    '--regions', ...(options.regions ?? ['ap-southeast-1', 'us-west-2']),
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
