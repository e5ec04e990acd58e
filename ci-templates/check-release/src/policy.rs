//! The architecture's rules as data (ARCHITECTURE.md "Dependency rules").
//!
//! Entry points: [`LAYERS`], [`allowed_edge`], [`allowed_runtime`],
//! [`allowed_dev`].

/// The layers in dependency order (lowest first).
pub const LAYERS: [&str; 5] = ["compcol", "purecrypto", "puressh", "rsurl", "btmalloc"];

/// Inter-layer edges the architecture allows: `(from, to)`.
const EDGES: &[(&str, &str)] = &[
    ("purecrypto", "compcol"),
    ("puressh", "purecrypto"),
    ("puressh", "compcol"),
    ("rsurl", "purecrypto"),
    ("rsurl", "compcol"),
    ("rsurl", "puressh"),
];

/// Third-party runtime dependencies each layer may have.
const RUNTIME: &[(&str, &[&str])] = &[
    ("compcol", &[]),
    ("purecrypto", &["subtle", "zeroize", "thiserror", "libc"]),
    ("puressh", &["thiserror", "zeroize", "subtle", "libc"]),
    ("rsurl", &["thiserror", "zeroize", "libc"]),
    ("btmalloc", &["libc"]),
];

/// Registry crates any layer may use for tests only.
const DEV: &[&str] = &["hex-literal", "proptest", "criterion"];

/// Whether `from` may depend on the layer `to`.
pub fn allowed_edge(from: &str, to: &str) -> bool {
    EDGES.contains(&(from, to))
}

/// Whether `layer` may have the registry crate `dep` at run time.
pub fn allowed_runtime(layer: &str, dep: &str) -> bool {
    RUNTIME
        .iter()
        .any(|(l, deps)| *l == layer && deps.contains(&dep))
}

/// Whether a dev-dependency is allowed: the listed registry crates, or an
/// in-tree helper under `ci-templates/` reached by path.
pub fn allowed_dev(dep: &str, in_tree_helper: bool) -> bool {
    DEV.contains(&dep) || in_tree_helper
}
