//! check-release: proves that the umbrella tree can be released as it is.
//!
//! Entry point: [`check`], which loads `release.toml` and every layer's
//! manifest and returns one [`Violation`] per broken rule. The rules:
//!
//! | rule | fails when |
//! |---|---|
//! | `set` | a version set does not pin all five layers |
//! | `version-pin` | a layer's version differs from its pin in the newest set |
//! | `requirement` | an inter-layer requirement is not met by the newest set's pin |
//! | `sibling-by-path` | a layer reaches a sibling without `path` + version |
//! | `edge` | an inter-layer edge points up or sideways |
//! | `cycle` | the inter-layer edges form a cycle |
//! | `runtime-dependency` | a runtime (or build) dependency outside the allowed list |
//! | `dev-dependency` | a dev-dependency outside the allowed list |
//! | `changelog` | CHANGELOG.md has no section for the current version |
//! | `package-contents` | `cargo package --list` includes a file outside the layer |

pub mod manifest;
pub mod policy;
pub mod sets;

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use manifest::{Kind, Package};
use semver::{Version, VersionReq};

/// One broken rule.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Violation {
    /// The crate (or `release.toml`) at fault.
    pub subject: String,
    /// The rule's name, as in the table above.
    pub rule: &'static str,
    /// What exactly is wrong.
    pub message: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: [{}] {}", self.subject, self.rule, self.message)
    }
}

fn violation(subject: &str, rule: &'static str, message: String) -> Violation {
    Violation {
        subject: subject.to_owned(),
        rule,
        message,
    }
}

/// Checks the tree rooted at `root`. `Err` means the tree could not be read
/// at all (missing release.toml, a manifest cargo rejects).
pub fn check(root: &Path) -> Result<Vec<Violation>, String> {
    let sets = sets::load(&root.join("release.toml"))?;
    let mut out = Vec::new();
    for set in &sets {
        for layer in policy::LAYERS {
            if !set.pins.contains_key(layer) {
                out.push(violation(
                    "release.toml",
                    "set",
                    format!("set {} does not pin {layer}", set.name),
                ));
            }
        }
        for krate in set
            .pins
            .keys()
            .filter(|k| !policy::LAYERS.contains(&k.as_str()))
        {
            out.push(violation(
                "release.toml",
                "set",
                format!("set {} pins {krate}, which is not a layer", set.name),
            ));
        }
    }
    let newest = sets.last().ok_or("release.toml: no sets")?;

    let mut packages = BTreeMap::new();
    for layer in policy::LAYERS {
        let dir = root.join(layer);
        let package = manifest::load(&dir)?;
        if package.name != layer {
            out.push(violation(
                layer,
                "version-pin",
                format!("main package is named {}, not {layer}", package.name),
            ));
        }
        check_pin(
            layer,
            &package,
            &newest.name,
            newest.pins.get(layer),
            &mut out,
        );
        check_dependencies(layer, &package, root, &newest.name, &newest.pins, &mut out);
        check_changelog(layer, &package.version, &dir, &mut out);
        check_package_contents(layer, &dir, &mut out)?;
        packages.insert(layer, package);
    }
    check_cycles(&packages, &mut out);
    out.sort();
    out.dedup();
    Ok(out)
}

fn check_pin(
    layer: &str,
    package: &Package,
    set: &str,
    pin: Option<&Version>,
    out: &mut Vec<Violation>,
) {
    match (Version::parse(&package.version), pin) {
        (Ok(version), Some(pin)) if &version == pin => {}
        (_, Some(pin)) => out.push(violation(
            layer,
            "version-pin",
            format!(
                "version {} differs from its pin {pin} in the newest set {set}",
                package.version
            ),
        )),
        (_, None) => {
            out.push(violation(
                layer,
                "version-pin",
                format!("the newest set {set} has no pin for it"),
            ));
        }
    }
}

fn check_dependencies(
    layer: &str,
    package: &Package,
    root: &Path,
    set: &str,
    pins: &BTreeMap<String, Version>,
    out: &mut Vec<Violation>,
) {
    let ci_templates = root.join("ci-templates").canonicalize().ok();
    for dep in &package.dependencies {
        let is_layer = policy::LAYERS.contains(&dep.name.as_str());
        if is_layer && dep.kind != Kind::Dev {
            if !policy::allowed_edge(layer, &dep.name) {
                out.push(violation(
                    layer,
                    "edge",
                    format!(
                        "depends on {}: the edge points up or sideways (ARCHITECTURE.md)",
                        dep.name
                    ),
                ));
            }
            let sibling = root.join(&dep.name).canonicalize().ok();
            let by_path = dep.path.as_ref().and_then(|p| p.canonicalize().ok());
            if by_path.is_none() || by_path != sibling || dep.req == "*" {
                out.push(violation(
                    layer,
                    "sibling-by-path",
                    format!(
                        "{} must be declared with a version and path = \"../{}\"",
                        dep.name, dep.name
                    ),
                ));
            }
            match (VersionReq::parse(&dep.req), pins.get(&dep.name)) {
                (Ok(req), Some(pin)) if req.matches(pin) => {}
                (_, pin) => out.push(violation(
                    layer,
                    "requirement",
                    format!(
                        "requires {} {} but the newest set {set} pins {}",
                        dep.name,
                        dep.req,
                        pin.map_or_else(|| "nothing".to_owned(), Version::to_string)
                    ),
                )),
            }
            continue;
        }
        match dep.kind {
            Kind::Runtime | Kind::Build if !policy::allowed_runtime(layer, &dep.name) => {
                out.push(violation(
                    layer,
                    "runtime-dependency",
                    format!(
                        "{} is not an allowed runtime dependency of {layer}",
                        dep.name
                    ),
                ))
            }
            Kind::Dev => {
                let in_tree = dep
                    .path
                    .as_ref()
                    .and_then(|p| p.canonicalize().ok())
                    .is_some_and(|p| ci_templates.as_ref().is_some_and(|ci| p.starts_with(ci)));
                if !policy::allowed_dev(&dep.name, in_tree) {
                    out.push(violation(
                        layer,
                        "dev-dependency",
                        format!("{} is not an allowed dev-dependency (hex-literal, proptest, criterion)", dep.name),
                    ));
                }
            }
            _ => {}
        }
    }
}

fn check_changelog(layer: &str, version: &str, dir: &Path, out: &mut Vec<Violation>) {
    let text = std::fs::read_to_string(dir.join("CHANGELOG.md")).unwrap_or_default();
    let has_section = text.lines().any(|line| {
        line.strip_prefix("## ").is_some_and(|heading| {
            let heading = heading.trim_start_matches('[');
            heading
                .strip_prefix(version)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with([' ', ']']))
        })
    });
    if !has_section {
        out.push(violation(
            layer,
            "changelog",
            format!("CHANGELOG.md has no `## {version}` section"),
        ));
    }
}

/// Files cargo generates into every package; they have no source file.
const GENERATED: &[&str] = &[
    "Cargo.toml",
    "Cargo.toml.orig",
    "Cargo.lock",
    ".cargo_vcs_info.json",
];

fn check_package_contents(layer: &str, dir: &Path, out: &mut Vec<Violation>) -> Result<(), String> {
    let root = dir
        .canonicalize()
        .map_err(|e| format!("{}: {e}", dir.display()))?;
    for file in manifest::package_list(dir)? {
        if GENERATED.contains(&file.as_str()) {
            continue;
        }
        let inside = dir
            .join(&file)
            .canonicalize()
            .is_ok_and(|p| p.starts_with(&root));
        if !inside {
            out.push(violation(
                layer,
                "package-contents",
                format!(
                    "`cargo package --list` includes {file}, which is not a file inside {layer}/"
                ),
            ));
        }
    }
    Ok(())
}

fn check_cycles(packages: &BTreeMap<&str, Package>, out: &mut Vec<Violation>) {
    let edges = |from: &str| -> Vec<String> {
        packages.get(from).map_or_else(Vec::new, |p| {
            p.dependencies
                .iter()
                .filter(|d| d.kind != Kind::Dev && packages.contains_key(d.name.as_str()))
                .map(|d| d.name.clone())
                .collect()
        })
    };
    for &start in packages.keys() {
        // Depth-first search for a path back to `start`.
        let mut stack = vec![(start.to_owned(), vec![start.to_owned()])];
        let mut seen = std::collections::BTreeSet::new();
        while let Some((node, path)) = stack.pop() {
            for next in edges(&node) {
                if next == start {
                    let mut cycle = path.clone();
                    cycle.push(next);
                    out.push(violation(
                        start,
                        "cycle",
                        format!("dependency cycle {}", cycle.join(" -> ")),
                    ));
                } else if seen.insert(next.clone()) {
                    let mut longer = path.clone();
                    longer.push(next.clone());
                    stack.push((next, longer));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn changelog_violations(text: &str, version: &str) -> usize {
        let dir = std::env::temp_dir().join(format!(
            "check-release-changelog-{}-{version}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join("CHANGELOG.md"), text).unwrap();
        let mut out = Vec::new();
        check_changelog("layer", version, &dir, &mut out);
        std::fs::remove_dir_all(dir).unwrap();
        out.len()
    }

    #[test]
    fn changelog_heading_forms() {
        assert_eq!(changelog_violations("## 0.1.0 (2026-11-25)\n", "0.1.0"), 0);
        assert_eq!(
            changelog_violations("## [0.1.0] - 2026-11-25\n", "0.1.0"),
            0
        );
        assert_eq!(changelog_violations("## 0.1.0\n", "0.1.0"), 0);
        assert_eq!(changelog_violations("## 0.1.01\n", "0.1.0"), 1);
        assert_eq!(changelog_violations("### 0.1.0\n", "0.1.0"), 1);
        assert_eq!(changelog_violations("", "0.1.0"), 1);
    }
}
