/** CloudFormation allows 500 resources and 1 MB per template; Keelson keeps headroom under both. */
export const TEMPLATE_LIMITS = { resources: 300, bytes: 800 * 1024 };
