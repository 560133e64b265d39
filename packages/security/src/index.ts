// The public API of @keelson/security. Its constructs arrive with the package's own issue;
// until then it exports nothing (no placeholder constructs).
export {};
