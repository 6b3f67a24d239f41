//! The layering of src/ (docs/architecture.md): a module imports only from
//! its own layer or an earlier one. This test reads the source, so a new
//! `use` that points the wrong way fails here before it tangles the code.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The layers in dependency order. A module may use its own layer and the
/// layers before it, never a later one.
const LAYERS: &[&[&str]] = &[
    &["exact", "error"],
    &["domain"],
    &["rules"],
    &["io"],
    &["model"],
    &["solve"],
    &["plan"],
    &["explain"],
    &["render"],
    &["commands"],
    &["serve"],
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|layer| layer.contains(&module))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).expect("list src").map(|e| e.expect("entry").path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file under src/ belongs to (`src/render/html/mod.rs` → `render`).
fn home_module(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).expect("file under src");
    let first = rel.components().next().expect("a component").as_os_str().to_string_lossy().to_string();
    first.trim_end_matches(".rs").to_string()
}

/// The code of a line without its `//` comment (string contents are kept:
/// a `crate::` path inside a string literal is rare and harmless to count).
fn code_of(line: &str) -> &str {
    match line.find("//") {
        Some(p) => &line[..p],
        None => line,
    }
}

/// Every top-level module a file names through `crate::`, with the line.
fn crate_uses(text: &str) -> Vec<(usize, String)> {
    let mut found = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let code = code_of(line);
        let mut rest = code;
        while let Some(p) = rest.find("crate::") {
            rest = &rest[p + "crate::".len()..];
            if let Some(group) = rest.strip_prefix('{') {
                let inner = group.split('}').next().unwrap_or("");
                for part in inner.split(',') {
                    let name: String =
                        part.trim().chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                    if !name.is_empty() {
                        found.push((n + 1, name));
                    }
                }
            } else {
                let name: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                found.push((n + 1, name));
            }
        }
    }
    found
}

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

#[test]
fn every_module_belongs_to_a_layer() {
    let src = src_dir();
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let unknown: BTreeSet<String> = files
        .iter()
        .map(|f| home_module(&src, f))
        .filter(|m| m != "lib" && m != "main" && layer_of(m).is_none())
        .collect();
    assert!(unknown.is_empty(), "modules in no layer (add them to LAYERS and docs/architecture.md): {unknown:?}");
}

#[test]
fn no_module_imports_a_later_layer() {
    let src = src_dir();
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut wrong = Vec::new();
    for file in &files {
        let home = home_module(&src, file);
        let Some(own) = layer_of(&home) else { continue };
        let text = std::fs::read_to_string(file).expect("read source");
        for (line, used) in crate_uses(&text) {
            match layer_of(&used) {
                Some(theirs) if theirs > own => wrong.push(format!(
                    "{}:{line}: {home} (layer {own}) uses crate::{used} (layer {theirs})",
                    file.strip_prefix(&src).unwrap().display()
                )),
                _ => {}
            }
        }
    }
    assert!(wrong.is_empty(), "imports against the layer order:\n{}", wrong.join("\n"));
}

#[test]
fn the_checker_sees_grouped_and_inline_paths() {
    // The scanner itself must see each form of path, or the test above
    // passes on code it cannot read.
    let text = "use crate::{plan::Plan, render::Lang};\nfn f() { crate::commands::x(); } // crate::model\n";
    let found: Vec<String> = crate_uses(text).into_iter().map(|(_, m)| m).collect();
    assert_eq!(found, ["plan", "render", "commands"]);
    assert_eq!(layer_of("render"), Some(8));
    assert!(layer_of("plan") < layer_of("render"));
}

#[test]
fn the_main_binary_uses_the_library_only() {
    let text = std::fs::read_to_string(src_dir().join("main.rs")).expect("read main.rs");
    let inner: Vec<(usize, String)> = crate_uses(&text);
    assert!(inner.is_empty(), "main.rs reaches into crate:: instead of the library: {inner:?}");
}

#[test]
fn docs_architecture_names_only_files_that_exist() {
    // The map must stay true: every `src/` file or folder it names in
    // backticks exists, and every layer of LAYERS has its row.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("docs/architecture.md")).expect("docs/architecture.md");
    let mut missing = Vec::new();
    for quoted in doc.split('`').skip(1).step_by(2) {
        let looks_like_path = (quoted.ends_with(".rs") || quoted.ends_with('/'))
            && quoted.chars().all(|c| c.is_ascii_lowercase() || c == '_' || c == '/' || c == '.');
        if looks_like_path && quoted != "src/" && !quoted.starts_with("tests/") && !src_dir().join(quoted).exists() {
            missing.push(quoted.to_string());
        }
    }
    assert!(missing.is_empty(), "docs/architecture.md names files that do not exist under src/: {missing:?}");
    for layer in LAYERS.iter().flat_map(|l| l.iter()) {
        assert!(doc.contains(&format!("`{layer}")), "docs/architecture.md has no row for the layer {layer}");
    }
}
