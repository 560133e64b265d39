import { KeelsonLabels, PropsCheck } from '@keelson/conventions';
import { Duration } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { VeleroBackups } from './velero-backups';

/** Props of `RestoreDrill`. */
export interface RestoreDrillProps {
  /** The DR cluster's Velero, whose read-only location holds the primary's replicated backups. */
  readonly backups: VeleroBackups;
  /** The namespace of the sample application the primary backs up, restored by the drill. */
  readonly sampleNamespace: string;
  /**
   * The namespace the drill restores into (the sample is mapped there, so the drill never
   * touches a namespace of the same name in the DR cluster).
   * @default `<sampleNamespace>-drill`
   */
  readonly targetNamespace?: string;
  /**
   * The read-only backup location holding the primary's replicated backups.
   * @default 'primary-replica'
   */
  readonly location?: string;
  /**
   * The Velero schedule whose newest completed backup is restored.
   * @default 'velero-daily' (the `daily` schedule of `VeleroBackups`)
   */
  readonly scheduleName?: string;
  /**
   * The recovery time objective the steps are timed against.
   * @default Duration.minutes(60) (the dr README: 45–60 min)
   */
  readonly recoveryTimeObjective?: Duration;
  /**
   * The recovery point objective the restored backup's age is checked against.
   * @default Duration.minutes(24 * 60 + 15) (a daily schedule plus 15 min of S3 Replication Time Control)
   */
  readonly recoveryPointObjective?: Duration;
}

/** One timed step of the drill. */
export interface RestoreDrillStep {
  /** Short name, printed in the drill's timing table. */
  readonly name: string;
  /** What the step proves. */
  readonly description: string;
  /** The bash the step runs (the drill script's variables are set). */
  readonly command: string;
  /** The time the step may take; the drill fails when it takes longer. */
  readonly budget: Duration;
}

const VELERO_NAMESPACE = 'velero';

/**
 * The quarterly restore drill (docs/operations/restore-from-backup.md): restore a sample namespace
 * from the primary's replicated backups into the DR cluster, time every step against the RTO and
 * check the restored backup's age against the RPO. It creates no resource: the drill is an
 * operator's action against a running cluster, so it is rendered as the Velero `Restore` object and
 * a script (`script()`) that runs the steps, prints each one's time against its budget and exits
 * non-zero when a step fails, runs over budget, or the backup is older than the RPO.
 */
export class RestoreDrill extends Construct {
  public readonly sampleNamespace: string;
  public readonly targetNamespace: string;
  public readonly location: string;
  public readonly scheduleName: string;
  public readonly recoveryTimeObjective: Duration;
  public readonly recoveryPointObjective: Duration;
  /** The steps, in order; their budgets add up to at most the RTO. */
  public readonly steps: RestoreDrillStep[];

  constructor(scope: Construct, id: string, props: RestoreDrillProps) {
    super(scope, id);
    this.sampleNamespace = props.sampleNamespace;
    this.targetNamespace = props.targetNamespace ?? `${props.sampleNamespace}-drill`;
    this.location = props.location ?? 'primary-replica';
    this.scheduleName = props.scheduleName ?? 'velero-daily';
    this.recoveryTimeObjective = props.recoveryTimeObjective ?? Duration.minutes(60);
    this.recoveryPointObjective = props.recoveryPointObjective ?? Duration.minutes(24 * 60 + 15);

    PropsCheck.dnsLabel(this, 'sampleNamespace', this.sampleNamespace);
    PropsCheck.dnsLabel(this, 'targetNamespace', this.targetNamespace);
    if (this.targetNamespace === this.sampleNamespace) {
      PropsCheck.fail(this, 'targetNamespace', 'equals sampleNamespace, so the drill would overwrite the live namespace', 'leave it unset (<sample>-drill) or name another namespace');
    }
    const locations: Array<{ name: string; accessMode?: string }> = props.backups.values.configuration?.backupStorageLocation ?? [];
    const readOnly = locations.filter((l) => l.accessMode === 'ReadOnly').map((l) => l.name);
    if (!readOnly.includes(this.location)) {
      PropsCheck.fail(this, 'location', `"${this.location}" is not a read-only location of the given VeleroBackups (it has: ${readOnly.join(', ') || 'none'})`,
        'pass the DR cluster\'s VeleroBackups with readOnlyLocations holding the primary\'s replica bucket, and its name here');
    }

    const v = `velero --namespace ${VELERO_NAMESPACE}`;
    this.steps = [
      {
        name: 'dr-cluster',
        description: 'The DR cluster answers and Velero runs there',
        command: `kubectl get --raw /readyz >/dev/null && kubectl -n ${VELERO_NAMESPACE} rollout status deploy/velero --timeout=60s`,
        budget: Duration.minutes(2),
      },
      {
        name: 'replicated-backup',
        description: `The read-only location ${this.location} is Available and holds a completed ${this.scheduleName} backup no older than the RPO`,
        command: [
          `${v} backup-location get ${this.location} | grep -q Available`,
          `BACKUP_LINE=$(kubectl -n ${VELERO_NAMESPACE} get backups.velero.io -l velero.io/schedule-name=${this.scheduleName},velero.io/storage-location=${this.location} `
            + '--sort-by=.status.completionTimestamp '
            + '-o jsonpath=\'{range .items[?(@.status.phase=="Completed")]}{.metadata.name} {.status.completionTimestamp}{"\\n"}{end}\' | tail -n 1)',
          'BACKUP=${BACKUP_LINE%% *}; COMPLETED=${BACKUP_LINE#* }',
          'test -n "$BACKUP" || { echo "no completed backup in the location"; return 1; }',
          'AGE=$(( $(date +%s) - $(date -d "$COMPLETED" +%s) ))',
          `echo "newest backup $BACKUP, completed $COMPLETED, $((AGE / 60)) min old (RPO ${this.recoveryPointObjective.toMinutes()} min)"`,
          `test "$AGE" -le ${this.recoveryPointObjective.toSeconds()} || { echo "RPO exceeded"; return 1; }`,
        ].join('\n'),
        budget: Duration.minutes(3),
      },
      {
        name: 'restore',
        description: `Velero restores ${this.sampleNamespace} into ${this.targetNamespace}, volumes included`,
        command: [
          'render_restore "$BACKUP" | kubectl apply -f -',
          `until PHASE=$(kubectl -n ${VELERO_NAMESPACE} get restores.velero.io "$RESTORE" -o jsonpath='{.status.phase}') && `
            + 'case "$PHASE" in Completed|PartiallyFailed|Failed|FailedValidation) true;; *) false;; esac; do sleep 10; done',
          'echo "restore $RESTORE: $PHASE"',
          'test "$PHASE" = Completed',
        ].join('\n'),
        budget: Duration.minutes(25),
      },
      {
        name: 'verify',
        description: 'Every restored deployment is available, every volume claim bound',
        command: [
          `kubectl -n ${this.targetNamespace} wait --for=condition=Available deployment --all --timeout=600s`,
          `test -z "$(kubectl -n ${this.targetNamespace} get pvc -o jsonpath='{range .items[?(@.status.phase!="Bound")]}{.metadata.name}{"\\n"}{end}')"`,
        ].join('\n'),
        budget: Duration.minutes(10),
      },
    ];
    const total = this.steps.reduce((sum, s) => sum + s.budget.toMinutes(), 0);
    if (total > this.recoveryTimeObjective.toMinutes()) {
      PropsCheck.fail(this, 'recoveryTimeObjective', `${this.recoveryTimeObjective.toMinutes()} min is less than the drill's steps take (${total} min)`,
        `use at least ${total} minutes, the budgets of: ${this.steps.map((s) => `${s.name} ${s.budget.toMinutes()} min`).join(', ')}`);
    }
  }

  /** The Velero `Restore` the drill creates from `backupName`, named `restoreName`. */
  public restore(backupName: string, restoreName: string): { [key: string]: any } {
    return {
      apiVersion: 'velero.io/v1',
      kind: 'Restore',
      metadata: { name: restoreName, namespace: VELERO_NAMESPACE, labels: { [KeelsonLabels.key('restore-drill')]: 'true' } },
      spec: {
        backupName,
        includedNamespaces: [this.sampleNamespace],
        namespaceMapping: { [this.sampleNamespace]: this.targetNamespace },
        restorePVs: true,
        // Cluster-scoped objects belong to the DR cluster's own deployment, not to the drill.
        includeClusterResources: false,
        existingResourcePolicy: 'none',
        itemOperationTimeout: '1h',
      },
    };
  }

  /**
   * A bash script that runs the drill against the current kubectl context (the DR cluster):
   * each step timed against its budget, a table of the times, exit 1 when a step fails or runs
   * over, or the backup is older than the RPO. `--cleanup` deletes the restored namespace after.
   */
  public script(): string {
    const restore = JSON.stringify(this.restore('BACKUP_NAME', 'RESTORE_NAME'));
    const lines = [
      '#!/usr/bin/env bash',
      `# Keelson restore drill: ${this.sampleNamespace} from ${this.location} (schedule ${this.scheduleName}) into ${this.targetNamespace}.`,
      `# RTO ${this.recoveryTimeObjective.toMinutes()} min, RPO ${this.recoveryPointObjective.toMinutes()} min. Generated by @keelson/dr RestoreDrill.script().`,
      'set -uo pipefail',
      'RESTORE="drill-$(date -u +%Y%m%d%H%M%S)"',
      `render_restore() { printf '%s' '${restore}' | sed -e "s/BACKUP_NAME/$1/" -e "s/RESTORE_NAME/$RESTORE/"; }`,
      'REPORT=""; FAILED=0; TOTAL=0',
      '# A step body runs in this shell (the steps share BACKUP), in a function of its own so that its `return 1` ends the step only.',
      'step_body() { eval "$1"; }',
      'run_step() {',
      '  local name=$1 budget=$2 body=$3 start end took status',
      '  start=$(date +%s)',
      '  step_body "$body"; status=$?',
      '  end=$(date +%s); took=$((end - start)); TOTAL=$((TOTAL + took))',
      '  local verdict=ok',
      '  if [ "$status" -ne 0 ]; then verdict=FAILED; FAILED=1; elif [ "$took" -gt "$budget" ]; then verdict=OVER-BUDGET; FAILED=1; fi',
      '  REPORT+="$(printf \'%-18s %6ss of %6ss  %s\' "$name" "$took" "$budget" "$verdict")"$\'\\n\'',
      '  [ "$status" -eq 0 ]',
      '}',
    ];
    for (const s of this.steps) {
      lines.push(`# ${s.description}`);
      lines.push(`run_step ${s.name} ${s.budget.toSeconds()} ${shellQuote(s.command)} || { printf '%s' "$REPORT"; exit 1; }`);
    }
    lines.push(
      'printf \'%s\' "$REPORT"',
      `echo "total $TOTAL s of the RTO ${this.recoveryTimeObjective.toSeconds()} s"`,
      `[ "$TOTAL" -le ${this.recoveryTimeObjective.toSeconds()} ] || FAILED=1`,
      `if [ "\${1:-}" = --cleanup ]; then kubectl delete namespace ${this.targetNamespace} --wait=false; fi`,
      'exit $FAILED',
    );
    return lines.join('\n') + '\n';
  }
}

/** `s` as one single-quoted bash word. */
function shellQuote(s: string): string {
  return `'${s.replace(/'/g, '\'\\\'\'')}'`;
}
