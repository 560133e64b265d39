/**
 * The reference platform's configuration types: the counterpart of the
 * source's `terraform.tfvars`. Every type is inferred from the one schema in
 * `schema.ts`, so the types and the validation cannot drift; the fields are
 * documented there (and in the generated keelson.config.schema.json).
 *
 * Sources, lowest first: `defaults.ts`, keelson.config.yaml (or .json) in the
 * app folder, the environment's entry in `environments.ts`,
 * keelson.config.<environment>.yaml, then CDK context
 * (`-c keelson:overrides=<json>`, `-c keelson:account=...`).
 */
import type { z } from 'zod';
import type {
  AppPoolSchema, BackupSchema, ClusterSchema, DrSchema, FinOpsSchema, GitOpsSchema, GpuPoolSchema, NetworkSchema, NodePoolSchema,
  PlatformConfigSchema, RegionSchema, SecuritySchema, ServicesSchema,
} from './schema';

/** The whole configuration. */
export type PlatformConfig = z.output<typeof PlatformConfigSchema>;
/** One region of the platform. */
export type RegionConfig = z.output<typeof RegionSchema>;
/** Disaster-recovery settings: a region, plus whether to build it and how to scale its pools. */
export type DrConfig = z.output<typeof DrSchema>;
/** A node pool of one instance-type list. */
export type NodePoolConfig = z.output<typeof NodePoolSchema>;
/** Size of one node pool. 0 <= min <= desired <= max. */
export type PoolSize = Pick<NodePoolConfig, 'minSize' | 'desiredSize' | 'maxSize'>;
/** The app pool: on-demand and spot. */
export type AppPoolConfig = z.output<typeof AppPoolSchema>;
/** The GPU pool: scales from zero. */
export type GpuPoolConfig = z.output<typeof GpuPoolSchema>;
export type ClusterConfig = z.output<typeof ClusterSchema>;
export type NetworkConfig = z.output<typeof NetworkSchema>;
export type SecurityConfig = z.output<typeof SecuritySchema>;
export type GitOpsConfig = z.output<typeof GitOpsSchema>;
export type FinOpsConfig = z.output<typeof FinOpsSchema>;
export type ServicesConfig = z.output<typeof ServicesSchema>;
export type BackupConfig = z.output<typeof BackupSchema>;
