//! `release.toml`'s version sets.
//!
//! Entry point: [`load`]. Sets are kept in file order; the last one is the
//! newest (the file's header comment says so).

use std::collections::BTreeMap;
use std::path::Path;

use semver::Version;

/// One `[sets.<name>]` table.
#[derive(Debug, Clone)]
pub struct VersionSet {
    /// The set's name.
    pub name: String,
    /// Crate name -> pinned version.
    pub pins: BTreeMap<String, Version>,
}

/// Reads every set, oldest first. Malformed pins are reported as errors
/// naming the set and crate.
pub fn load(release_toml: &Path) -> Result<Vec<VersionSet>, String> {
    let text = std::fs::read_to_string(release_toml)
        .map_err(|e| format!("{}: {e}", release_toml.display()))?;
    let doc: toml::Table = text
        .parse()
        .map_err(|e| format!("{}: {e}", release_toml.display()))?;
    let sets = doc
        .get("sets")
        .and_then(toml::Value::as_table)
        .ok_or_else(|| format!("{}: no [sets.<name>] tables", release_toml.display()))?;
    let mut out = Vec::new();
    for (name, table) in sets {
        let table = table
            .as_table()
            .ok_or_else(|| format!("set {name}: not a table"))?;
        let mut pins = BTreeMap::new();
        for (krate, pin) in table {
            let text = pin
                .as_str()
                .ok_or_else(|| format!("set {name}: {krate}: pin is not a string"))?;
            let version = Version::parse(text).map_err(|e| {
                format!("set {name}: {krate}: {text:?} is not an exact version: {e}")
            })?;
            pins.insert(krate.clone(), version);
        }
        out.push(VersionSet {
            name: name.clone(),
            pins,
        });
    }
    if out.is_empty() {
        return Err(format!(
            "{}: no [sets.<name>] tables",
            release_toml.display()
        ));
    }
    Ok(out)
}
