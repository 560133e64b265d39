/**
 * The messages between `PrewarmedValidationEngine`, its worker thread
 * (`validation-engine-worker.ts`) and a resident engine
 * (`validation-engine-server.ts`). Not part of the harness's API.
 */
import { PolicyValidationPluginReport, PolicyValidationStack, ValidationRuleSource } from 'aws-cdk-lib';

/** The rule set of a CloudFormation validation (`CloudFormationValidatePluginProps` without its internals). */
export interface ValidationRuleSet {
  /** @default - no custom rules */
  readonly regoRules?: ValidationRuleSource[];
  /** @default - no guard rules */
  readonly guardRules?: ValidationRuleSource[];
  /** @default true */
  readonly includeDefaultRules?: boolean;
}

/** What the worker is started with. */
export interface EngineWorkerData {
  readonly signal: Int32Array;
  readonly rules: ValidationRuleSet;
  readonly resourceTypes: string[];
  /** The socket of a resident engine to use, if one answers there. */
  readonly residentAddress?: string;
  /** Whether to build an engine in the worker when no resident engine answers. */
  readonly buildLocally: boolean;
}

/** A batch of templates to validate. */
export interface EngineRequest {
  readonly id: number;
  readonly stackTemplates: PolicyValidationStack[];
}

/** What the worker answers. */
export type EngineReply =
  | { kind: 'ready'; resident: boolean }
  /** No resident engine answered, and the worker was not to build one: validate in the main thread, without a warning. */
  | { kind: 'absent' }
  | { kind: 'failed'; error: string }
  | { kind: 'report'; id: number; report: PolicyValidationPluginReport }
  | { kind: 'error'; id: number; error: string };
