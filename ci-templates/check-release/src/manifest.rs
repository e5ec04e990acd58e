//! A layer's main package as cargo sees it (`cargo metadata --no-deps`).
//!
//! Entry point: [`load`]. Using cargo's own view means target-specific,
//! renamed and table-form dependencies are all seen as cargo sees them.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

/// How a dependency is used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// `[dependencies]`: part of every user's build.
    Runtime,
    /// `[build-dependencies]`: runs at every user's build.
    Build,
    /// `[dev-dependencies]`: tests, examples and benches only.
    Dev,
}

/// One declared dependency.
#[derive(Debug, Clone)]
pub struct Dependency {
    /// The package name (not the rename).
    pub name: String,
    /// The version requirement as cargo normalised it (`*` when absent).
    pub req: String,
    /// Runtime, build or dev.
    pub kind: Kind,
    /// The `path` it is reached by, if any.
    pub path: Option<PathBuf>,
}

/// A layer's main package.
#[derive(Debug, Clone)]
pub struct Package {
    /// Package name.
    pub name: String,
    /// Package version.
    pub version: String,
    /// Declared dependencies.
    pub dependencies: Vec<Dependency>,
}

/// Reads the package named like `layer_dir`'s folder from its manifest.
pub fn load(layer_dir: &Path) -> Result<Package, String> {
    let manifest = layer_dir.join("Cargo.toml");
    let output = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args([
            "metadata",
            "--no-deps",
            "--format-version",
            "1",
            "--offline",
            "--manifest-path",
        ])
        .arg(&manifest)
        .output()
        .map_err(|e| format!("{}: cannot run cargo metadata: {e}", manifest.display()))?;
    if !output.status.success() {
        return Err(format!(
            "{}: cargo metadata failed: {}",
            manifest.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let doc: Value = serde_json::from_slice(&output.stdout).map_err(|e| {
        format!(
            "{}: cargo metadata printed invalid JSON: {e}",
            manifest.display()
        )
    })?;
    let wanted = layer_dir
        .canonicalize()
        .map_err(|e| format!("{}: {e}", layer_dir.display()))?
        .join("Cargo.toml");
    let package = doc["packages"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|p| {
            p["manifest_path"].as_str().map(PathBuf::from).as_deref() == Some(wanted.as_path())
        })
        .ok_or_else(|| format!("{}: no package at the workspace root", manifest.display()))?;
    let dependencies = package["dependencies"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| Dependency {
            name: d["name"].as_str().unwrap_or_default().to_owned(),
            req: d["req"].as_str().unwrap_or("*").to_owned(),
            kind: match d["kind"].as_str() {
                Some("dev") => Kind::Dev,
                Some("build") => Kind::Build,
                _ => Kind::Runtime,
            },
            path: d["path"].as_str().map(PathBuf::from),
        })
        .collect();
    Ok(Package {
        name: package["name"].as_str().unwrap_or_default().to_owned(),
        version: package["version"].as_str().unwrap_or_default().to_owned(),
        dependencies,
    })
}

/// The files `cargo package` would put in the layer's `.crate`, relative
/// to the package root.
pub fn package_list(layer_dir: &Path) -> Result<Vec<String>, String> {
    let output = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
        .args([
            "package",
            "--list",
            "--allow-dirty",
            "--offline",
            "--quiet",
            "--manifest-path",
        ])
        .arg(layer_dir.join("Cargo.toml"))
        .output()
        .map_err(|e| format!("{}: cannot run cargo package: {e}", layer_dir.display()))?;
    if !output.status.success() {
        return Err(format!(
            "{}: cargo package --list failed: {}",
            layer_dir.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_owned)
        .collect())
}
