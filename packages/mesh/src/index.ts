// The public API of @keelson/mesh. Its constructs arrive with the package's own issue;
// until then it exports nothing (no placeholder constructs).
export {};
