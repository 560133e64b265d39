/**
 * The messages between `PrewarmedValidationEngine` and its worker thread
 * (`validation-engine-worker.ts`). Not part of the harness's API.
 */
import { PolicyValidationPluginReport, PolicyValidationStack } from 'aws-cdk-lib';
import type { ValidationRuleSet } from './prewarmed-validation-engine';

/** What the worker is started with. */
export interface EngineWorkerData {
  readonly signal: Int32Array;
  readonly rules: ValidationRuleSet;
  readonly resourceTypes: string[];
}

/** A batch of templates to validate. */
export interface EngineRequest {
  readonly id: number;
  readonly stackTemplates: PolicyValidationStack[];
}

/** What the worker answers. */
export type EngineReply =
  | { kind: 'ready' }
  | { kind: 'failed'; error: string }
  | { kind: 'report'; id: number; report: PolicyValidationPluginReport }
  | { kind: 'error'; id: number; error: string };

