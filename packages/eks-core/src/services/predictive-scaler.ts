import { PropsCheck } from '@keelson/conventions';
import { Duration, Token } from 'aws-cdk-lib';
import * as eks from 'aws-cdk-lib/aws-eks-v2';
import { Construct } from 'constructs';
import { Keda } from './keda';
import { checkKind, checkReplicas, scaleTargetRef } from '../private/scaling';
import { checkDnsLabel } from '../private/services';

/** Properties of {@link PredictiveScaler}. */
export interface PredictiveScalerProps {
  /** KEDA (the ScaledObject waits for its CRDs). */
  readonly keda: Keda;
  /** Namespace of the workload. */
  readonly namespace: string;
  /** Name of the workload to scale. */
  readonly scaleTargetName: string;
  /**
   * Kind of the workload: `Deployment`, `StatefulSet` or `Rollout`.
   *
   * @default 'Deployment'
   */
  readonly scaleTargetKind?: string;
  /** Prometheus server address, e.g. `http://prometheus-server.observability.svc:9090`. */
  readonly prometheusAddress: string;
  /** A counter selector, e.g. `http_requests_total{service="web"}`: scaling follows its per-second rate. */
  readonly metricQuery: string;
  /** Per-second rate one replica handles (the scaling target of the combined metric). */
  readonly targetPerReplica: number;
  /**
   * Below this combined value the workload stays at `minReplicas` (may be 0).
   *
   * @default 1
   */
  readonly activationTarget?: number;
  /**
   * How far ahead the trend trigger predicts (`predict_linear`).
   *
   * @default Duration.minutes(10)
   */
  readonly lookAhead?: Duration;
  /**
   * History the trend is fitted on.
   *
   * @default Duration.minutes(30)
   */
  readonly trendWindow?: Duration;
  /**
   * Window of `rate(...)`.
   *
   * @default Duration.minutes(2)
   */
  readonly rateWindow?: Duration;
  /**
   * How the two triggers combine (KEDA scalingModifiers formula over `current` and `trend`).
   *
   * @default 'max(current, trend)'
   */
  readonly formula?: string;
  /**
   * Minimum replicas.
   *
   * @default 1
   */
  readonly minReplicas?: number;
  /**
   * Maximum replicas.
   *
   * @default 10
   */
  readonly maxReplicas?: number;
  /**
   * Name of the ScaledObject.
   *
   * @default `<scaleTargetName>-predictive`
   */
  readonly name?: string;
}

/**
 * Predictive autoscaling with KEDA: one ScaledObject with two `prometheus`
 * triggers, `current` (the rate now) and `trend` (the rate `lookAhead` from
 * now by `predict_linear`), combined by `spec.advanced.scalingModifiers`
 * (default `max(current, trend)`), so capacity arrives before a ramp peaks.
 */
export class PredictiveScaler extends Construct {
  /** The ScaledObject manifest. */
  public readonly manifest: eks.KubernetesManifest;
  /** The PromQL of the `current` trigger. */
  public readonly currentQuery: string;
  /** The PromQL of the `trend` trigger. */
  public readonly trendQuery: string;

  constructor(scope: Construct, id: string, props: PredictiveScalerProps) {
    super(scope, id);
    const kind = props.scaleTargetKind ?? 'Deployment';
    checkKind(this, kind);
    checkDnsLabel(this, 'namespace', props.namespace);
    checkDnsLabel(this, 'scaleTargetName', props.scaleTargetName);
    const min = props.minReplicas ?? 1;
    const max = props.maxReplicas ?? 10;
    checkReplicas(this, min, max);
    if (!Token.isUnresolved(props.targetPerReplica) && !(props.targetPerReplica > 0)) {
      PropsCheck.fail(this, 'targetPerReplica', `${props.targetPerReplica} is not positive`, 'give the per-second rate one replica handles, above 0');
    }
    const activation = props.activationTarget ?? 1;
    if (!(activation >= 0)) {
      PropsCheck.fail(this, 'activationTarget', `${activation} is negative`, 'use 0 or more');
    }
    if (!/^https?:\/\/[^\s/]+(\/\S*)?$/.test(props.prometheusAddress)) {
      PropsCheck.fail(this, 'prometheusAddress', `"${props.prometheusAddress}" is not an http(s) URL`, 'give the Prometheus server URL, e.g. http://prometheus-server.observability.svc:9090');
    }
    const lookAhead = props.lookAhead ?? Duration.minutes(10);
    const trendWindow = props.trendWindow ?? Duration.minutes(30);
    const rateWindow = props.rateWindow ?? Duration.minutes(2);
    if (lookAhead.toSeconds() < 60 || lookAhead.toSeconds() > 3600) {
      PropsCheck.fail(this, 'lookAhead', `${lookAhead.toSeconds()}s is outside 1–60 minutes`, 'predict between 1 and 60 minutes ahead');
    }
    if (trendWindow.toSeconds() < 2 * rateWindow.toSeconds()) {
      PropsCheck.fail(this, 'trendWindow', `${trendWindow.toSeconds()}s is shorter than two rate windows (${2 * rateWindow.toSeconds()}s)`, 'fit the trend on a longer window, e.g. Duration.minutes(30)');
    }
    const formula = props.formula ?? 'max(current, trend)';
    if (!/\b(current|trend)\b/.test(formula)) {
      PropsCheck.fail(this, 'formula', `"${formula}" uses neither trigger`, 'combine the triggers named current and trend, e.g. max(current, trend)');
    }

    const rate = `sum(rate(${props.metricQuery}[${rateWindow.toSeconds()}s]))`;
    this.currentQuery = rate;
    this.trendQuery = `clamp_min(predict_linear(${rate}[${trendWindow.toSeconds()}s:60s], ${lookAhead.toSeconds()}), 0)`;
    const threshold = String(props.targetPerReplica);

    this.manifest = new eks.KubernetesManifest(this, 'ScaledObject', {
      cluster: props.keda.cluster,
      overwrite: true,
      manifest: [{
        apiVersion: 'keda.sh/v1alpha1',
        kind: 'ScaledObject',
        metadata: { name: props.name ?? `${props.scaleTargetName}-predictive`, namespace: props.namespace },
        spec: {
          scaleTargetRef: scaleTargetRef(props.scaleTargetName, kind),
          minReplicaCount: min,
          maxReplicaCount: max,
          pollingInterval: 30,
          cooldownPeriod: 300,
          advanced: {
            scalingModifiers: {
              formula,
              target: threshold,
              activationTarget: String(activation),
              metricType: 'AverageValue',
            },
          },
          triggers: [
            { type: 'prometheus', name: 'current', metadata: { serverAddress: props.prometheusAddress, query: this.currentQuery, threshold } },
            { type: 'prometheus', name: 'trend', metadata: { serverAddress: props.prometheusAddress, query: this.trendQuery, threshold } },
          ],
        },
      }],
    });
    this.manifest.node.addDependency(props.keda.chart);
  }
}
