/**
 * npm completes a lock file: on a machine whose cache lacks other platforms' optional binaries
 * (`@nx/nx-darwin-arm64` and its siblings), `npm install` adds their entries back. That is not
 * drift from `.projenrc.ts`; anything else in a lock file that changed is.
 */

/** The part of a `package-lock.json` (lockfileVersion 3) this check reads. */
export interface LockFile {
  readonly lockfileVersion?: number;
  readonly packages?: Record<string, LockEntry>;
  readonly [key: string]: unknown;
}

/** One `packages` entry of a lock file. */
export interface LockEntry {
  readonly version?: string;
  readonly optional?: boolean;
  readonly [key: string]: unknown;
}

/** How a current lock file differs from the committed one. */
export interface LockFileComparison {
  /** Entries npm added that are optional (other platforms' binaries): completion, not drift. */
  readonly completed: string[];
  /** Every other difference, one line each: these are drift. */
  readonly drift: string[];
}

/** Compare the lock file in the tree with the committed one. */
export function compareLockFiles(committed: LockFile, current: LockFile): LockFileComparison {
  const completed: string[] = [];
  const drift: string[] = [];

  for (const key of new Set([...Object.keys(committed), ...Object.keys(current)])) {
    if (key === 'packages') continue;
    if (stable(committed[key]) !== stable(current[key])) drift.push(`top-level "${key}" changed`);
  }

  const before = committed.packages ?? {};
  const after = current.packages ?? {};
  for (const [path, entry] of Object.entries(after)) {
    const old = before[path];
    if (old === undefined) {
      if (entry.optional === true) completed.push(path);
      else drift.push(`${path || '(root)'} added, and it is not optional`);
    } else if (stable(old) !== stable(entry)) {
      drift.push(`${path || '(root)'} changed`);
    }
  }
  for (const path of Object.keys(before)) {
    if (!(path in after)) drift.push(`${path || '(root)'} removed`);
  }
  return { completed, drift };
}

/** JSON with sorted keys, so key order never counts as a difference. */
function stable(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
    : v));
}
