// The public API of @keelson/gitops. Its constructs arrive with the package's own issue;
// until then it exports nothing (no placeholder constructs).
export {};
