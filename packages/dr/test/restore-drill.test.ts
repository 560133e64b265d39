import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { kubernetesSchemaErrors } from '@keelson/proof';
import { App, Duration } from 'aws-cdk-lib';
import { buildDrApp } from './fixture';
import { RestoreDrill, RestoreDrillProps } from '../src';

// No synth: the drill creates no resource. Its Restore object is schema-checked, and its script runs
// against stand-in `kubectl`, `velero` and `date` commands that answer as a DR cluster would.

const platform = buildDrApp(new App());
let drills = 0;
/** A drill on the DR cluster's Velero (which reads the primary's replica), or on the primary's (which does not). */
function drill(props: Partial<RestoreDrillProps> = {}, readOnly = true): RestoreDrill {
  const backups = readOnly ? platform.drVelero : platform.primaryVelero;
  return new RestoreDrill(backups.node.scope!, `Drill${++drills}`, { backups, sampleNamespace: 'team-a', ...props });
}

const d = drill();

describe('RestoreDrill', () => {
  test('restores the sample namespace into its own namespace from the named backup, volumes included', () => {
    const restore = d.restore('velero-daily-20261201030012', 'drill-1');
    expect(restore).toEqual({
      apiVersion: 'velero.io/v1',
      kind: 'Restore',
      metadata: { name: 'drill-1', namespace: 'velero', labels: { 'keelson.dev/restore-drill': 'true' } },
      spec: {
        backupName: 'velero-daily-20261201030012',
        includedNamespaces: ['team-a'],
        namespaceMapping: { 'team-a': 'team-a-drill' },
        restorePVs: true,
        includeClusterResources: false,
        existingResourcePolicy: 'none',
        itemOperationTimeout: '1h',
      },
    });
    expect(kubernetesSchemaErrors([restore])).toEqual([]);
  });

  test('the schema catches a Restore Velero would reject', () => {
    const restore = d.restore('b', 'drill-1');
    const errors = kubernetesSchemaErrors([
      { ...restore, spec: { ...restore.spec, existingResourcePolicy: 'overwrite' } },
      { ...restore, spec: { ...restore.spec, restorePv: true } },
      { ...restore, spec: { ...restore.spec, namespaceMapping: { 'team-a': 'Team_A' } } },
    ]);
    expect(errors).toHaveLength(3);
  });

  test('the step budgets add up to the RTO at most; the RPO defaults to a day plus replication', () => {
    expect(d.steps.map((s) => `${s.name} ${s.budget.toMinutes()}`)).toEqual(['dr-cluster 2', 'replicated-backup 3', 'restore 25', 'verify 10']);
    expect(d.recoveryTimeObjective.toMinutes()).toBe(60);
    expect(d.recoveryPointObjective.toMinutes()).toBe(24 * 60 + 15);
  });

  test('bad input fails naming the field and the fix', () => {
    expect(() => drill({ sampleNamespace: 'Team_A' })).toThrow(/\/Drill\d+: invalid sampleNamespace: "Team_A" is not a Kubernetes name\. Fix: use at most 63 lowercase letters/);
    expect(() => drill({ targetNamespace: 'team-a' })).toThrow(/\/Drill\d+: invalid targetNamespace: equals sampleNamespace/);
    expect(() => drill({}, false)).toThrow(/\/Drill\d+: invalid location: "primary-replica" is not a read-only location of the given VeleroBackups \(it has: none\)/);
    expect(() => drill({ recoveryTimeObjective: Duration.minutes(30) })).toThrow(
      /\/Drill\d+: invalid recoveryTimeObjective: 30 min is less than the drill's steps take \(40 min\)\. Fix: use at least 40 minutes/);
  });

  describe('the drill script against a stand-in cluster', () => {
    const now = Date.parse('2026-12-01T12:00:00Z') / 1000;
    /** Runs the script with stub commands; `completed` is the newest backup's completion time. */
    function run(completed: string, restorePhase = 'Completed'): { status: number; out: string; applied: string } {
      const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'keelson-drill-'));
      const applied = path.join(bin, 'applied.json');
      const stub = (name: string, body: string) => fs.writeFileSync(path.join(bin, name), `#!/usr/bin/env bash\n${body}\n`, { mode: 0o755 });
      stub('velero', 'echo "NAME PROVIDER BUCKET/PREFIX PHASE"; echo "primary-replica aws replica/velero Available"');
      stub('kubectl', [
        'case "$*" in',
        `  *"get backups.velero.io"*) printf 'velero-daily-20261130030012 2026-11-30T03:05:00Z\\nvelero-daily-20261201030012 ${completed}\\n';;`,
        `  *"apply -f -"*) cat > ${applied};;`,
        `  *"get restores.velero.io"*) printf '${restorePhase}';;`,
        '  *) true;;',
        'esac',
      ].join('\n'));
      // A fixed clock: `date +%s` is "now"; `date -d <time> +%s` parses with the real date.
      stub('date', `if [ "$1" = +%s ]; then echo ${now}; else /bin/date "$@"; fi`);
      const script = path.join(bin, 'drill.sh');
      fs.writeFileSync(script, d.script());
      const r = spawnSync('bash', [script], { encoding: 'utf8', env: { ...process.env, PATH: `${bin}:${process.env.PATH}` } });
      return { status: r.status ?? -1, out: r.stdout + r.stderr, applied: fs.existsSync(applied) ? fs.readFileSync(applied, 'utf8') : '' };
    }

    test('a recent backup restores: every step timed against its budget, the Restore created from the newest backup', () => {
      const r = run('2026-12-01T03:04:00Z');
      expect(r.out).toContain('newest backup velero-daily-20261201030012, completed 2026-12-01T03:04:00Z, 536 min old (RPO 1455 min)');
      expect(r.out).toMatch(/^dr-cluster\s+\d+s of\s+120s {2}ok$/m);
      expect(r.out).toMatch(/^replicated-backup\s+\d+s of\s+180s {2}ok$/m);
      expect(r.out).toMatch(/^restore\s+\d+s of\s+1500s {2}ok$/m);
      expect(r.out).toMatch(/^verify\s+\d+s of\s+600s {2}ok$/m);
      expect(r.out).toContain(' s of the RTO 3600 s');
      expect(r.status).toBe(0);
      const restore = JSON.parse(r.applied);
      expect(restore.spec.backupName).toBe('velero-daily-20261201030012');
      expect(restore.metadata.name).toMatch(/^drill-\d{14}$/);
      expect(kubernetesSchemaErrors([restore])).toEqual([]);
    });

    test('a backup older than the RPO fails the drill before restoring', () => {
      const r = run('2026-11-29T03:04:00Z');
      expect(r.out).toContain('RPO exceeded');
      expect(r.out).toMatch(/^replicated-backup\s+\d+s of\s+180s {2}FAILED$/m);
      expect(r.applied).toBe('');
      expect(r.status).toBe(1);
    });

    test('a restore that does not complete fails the drill', () => {
      const r = run('2026-12-01T03:04:00Z', 'PartiallyFailed');
      expect(r.out).toContain('PartiallyFailed');
      expect(r.out).toMatch(/^restore\s+\d+s of\s+1500s {2}FAILED$/m);
      expect(r.status).toBe(1);
    });
  });
});
