//! The crate's layout stays as ARCHITECTURE.md draws it: imports between the folders point
//! one way (`find` may use `vault`, never the reverse), no two modules import each other
//! (directly or round a circle), and no module or function grows past the size a newcomer
//! can read. The source is read as text: `crate::a::b` and `super::x` paths, and a folder's
//! paths through its own files (`text::head` in `mod.rs`), outside test code and re-exports,
//! are the imports. A function may be longer than 120 lines only under a comment that
//! starts "Long:" and says why.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// What each folder may import from (folders, or single modules of one), besides itself
/// and the root's `error`, `guard` and `fixtures`.
const MAY_USE: &[(&str, &[&str])] = &[
    ("vault", &[]),
    ("understand", &["vault"]),
    ("capture", &["vault", "understand"]),
    ("find", &["vault"]),
    ("prove", &["vault", "capture::email"]),
];
const ROOT_MODULES: &[&str] = &["error", "guard", "fixtures", "lib"];

/// Lines of code (test code aside) above which a module should be split.
const MAX_MODULE_LINES: usize = 800;
/// Lines above which a function should be named steps, unless a comment directly above it
/// says why it is long, starting "Long:".
const MAX_FN_LINES: usize = 120;

struct Module {
    path: PathBuf,
    /// `capture::ingest`, `vault`, `lib`.
    name: String,
    /// The source without its test code.
    code: String,
}

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The source up to its inline test module (`#[cfg(test)] mod tests { … }`, last in every
/// file of this crate); a test module in a file of its own (`#[cfg(test)] mod tests;`) is
/// only declared here.
fn without_tests(src: &str) -> &str {
    let mut from = 0;
    while let Some(i) = src[from..].find("#[cfg(test)]") {
        let at = from + i;
        let next = src[at..].lines().nth(1).unwrap_or("").trim();
        if (next.starts_with("mod ") || next.contains(" mod ")) && next.ends_with('{') {
            return &src[..at];
        }
        from = at + 1;
    }
    src
}

fn modules() -> Vec<Module> {
    let root = src_dir();
    let mut files = Vec::new();
    rust_files(&root, &mut files);
    files.sort();
    let mut out = Vec::new();
    for path in files {
        let rel = path.strip_prefix(&root).unwrap().with_extension("");
        let mut parts: Vec<String> = rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        // Test-only files (`tests.rs`, `tests/…`) are test code.
        if parts.iter().any(|p| p == "tests") {
            continue;
        }
        if parts.last().is_some_and(|p| p == "mod") && parts.len() > 1 {
            parts.pop();
        }
        let src = std::fs::read_to_string(&path).unwrap();
        out.push(Module {
            name: parts.join("::"),
            code: without_tests(&src).to_string(),
            path,
        });
    }
    out
}

/// The modules a module's code names: the longest known module prefix of each
/// `crate::…` path, of each `super::…` path resolved against the module, and of each path
/// through one of its own child modules (`text::head` in a folder's `mod.rs`). Re-exports
/// (`pub use`) are the module's API, not its use of another, and are left out: a folder's
/// `mod.rs` may re-export what its files define while they use the types it holds.
fn imports(m: &Module, known: &BTreeSet<String>) -> BTreeSet<String> {
    let owner = |segs: &[&str]| -> Option<String> {
        (1..=segs.len())
            .rev()
            .map(|n| segs[..n].join("::"))
            .find(|p| known.contains(p))
    };
    // `super` of `a::b` is `a`; of `a` (its mod.rs, or a root file) the crate root.
    let mut parent: Vec<&str> = m.name.split("::").collect();
    parent.pop();
    let code: String = m
        .code
        .lines()
        .filter(|l| {
            let t = l.trim_start();
            !(t.starts_with("pub use ") || t.starts_with("pub(crate) use ") || t.starts_with("//"))
        })
        .collect::<Vec<_>>()
        .join("\n");
    let mut out = BTreeSet::new();
    let own: Vec<&str> = m.name.split("::").filter(|s| *s != "lib").collect();
    let children: Vec<String> = known
        .iter()
        .filter_map(|k| {
            let rest = if own.is_empty() {
                Some(k.as_str())
            } else {
                k.strip_prefix(&format!("{}::", own.join("::")))
            }?;
            (!rest.contains("::")).then(|| format!("{rest}::"))
        })
        .collect();
    let mut prefixes: Vec<(&str, Vec<&str>)> = vec![("crate::", Vec::new()), ("super::", parent)];
    for c in &children {
        prefixes.push((c.as_str(), {
            let mut b = own.clone();
            b.push(c.trim_end_matches("::"));
            b
        }));
    }
    for (prefix, base) in prefixes {
        let mut rest = code.as_str();
        while let Some(i) = rest.find(prefix) {
            // Not the tail of a longer word (`my_crate::`).
            let before = rest[..i].chars().next_back();
            rest = &rest[i + prefix.len()..];
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let path: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            let mut segs: Vec<&str> = base.clone();
            segs.extend(path.split("::").filter(|s| !s.is_empty()));
            if let Some(o) = owner(&segs) {
                if o != m.name {
                    out.insert(o);
                }
            }
        }
    }
    out
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let mods = modules();
    let known: BTreeSet<String> = mods.iter().map(|m| m.name.clone()).collect();
    mods.iter()
        .map(|m| (m.name.clone(), imports(m, &known)))
        .collect()
}

fn folder(module: &str) -> &str {
    module.split("::").next().unwrap_or(module)
}

#[test]
fn folders_import_one_way() {
    let mut wrong = Vec::new();
    for (m, uses) in graph() {
        let from = folder(&m);
        if ROOT_MODULES.contains(&from) {
            continue;
        }
        let allowed = MAY_USE
            .iter()
            .find(|(f, _)| *f == from)
            .unwrap_or_else(|| panic!("{m}: folder {from} is not in MAY_USE"))
            .1;
        for u in uses {
            let to = folder(&u);
            let may = allowed
                .iter()
                .any(|a| u == *a || u.starts_with(&format!("{a}::")));
            if to != from && !ROOT_MODULES.contains(&to) && !may {
                wrong.push(format!("{m} imports {u}"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "imports against the layering:\n{}",
        wrong.join("\n")
    );
}

/// The circles in an import graph, each as "a -> b -> a".
fn circles(g: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    // Depth-first search for back edges.
    fn visit(
        n: &str,
        g: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
        circles: &mut Vec<String>,
    ) {
        state.insert(n.to_string(), 1);
        stack.push(n.to_string());
        for next in g.get(n).into_iter().flatten() {
            match state.get(next.as_str()).copied().unwrap_or(0) {
                0 => visit(next, g, state, stack, circles),
                1 => {
                    let start = stack.iter().position(|s| s == next).unwrap_or(0);
                    let mut c = stack[start..].to_vec();
                    c.push(next.clone());
                    circles.push(c.join(" -> "));
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(n.to_string(), 2);
    }
    let mut state = BTreeMap::new();
    let mut found = Vec::new();
    for n in g.keys() {
        if !state.contains_key(n.as_str()) {
            visit(n, g, &mut state, &mut Vec::new(), &mut found);
        }
    }
    found
}

#[test]
fn no_module_imports_round_a_circle() {
    let found = circles(&graph());
    assert!(found.is_empty(), "import circles:\n{}", found.join("\n"));
}

#[test]
fn the_checks_see_real_imports_and_circles() {
    // The checks above would pass on an empty graph: make sure they read real imports,
    // and that a circle is found.
    let g = graph();
    assert!(
        g["find::search"].contains("vault::rows"),
        "{:?}",
        g["find::search"]
    );
    assert!(g["capture::ingest"].contains("capture::analyse"));
    assert!(g["understand::extract::total"].contains("understand::extract::amount"));
    // A folder's mod.rs naming its own files by relative path.
    assert!(g["understand::extract"].contains("understand::extract::total"));
    assert!(!g["vault::handle"].iter().any(|m| folder(m) == "find"));
    let edge = |a: &str, b: &str| (a.to_string(), BTreeSet::from([b.to_string()]));
    let ring = BTreeMap::from([edge("a", "b"), edge("b", "c"), edge("c", "a")]);
    assert_eq!(circles(&ring), vec!["a -> b -> c -> a"]);
}

/// Lines that are not blank and not only a comment.
fn code_lines(src: &str) -> usize {
    src.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with("//"))
        .count()
}

#[test]
fn modules_stay_readable() {
    let big: Vec<String> = modules()
        .iter()
        .filter(|m| code_lines(&m.code) > MAX_MODULE_LINES)
        .map(|m| format!("{}: {} lines of code", m.name, code_lines(&m.code)))
        .collect();
    assert!(big.is_empty(), "modules to split:\n{}", big.join("\n"));
}

#[test]
fn long_functions_say_why() {
    let mut long = Vec::new();
    for m in modules() {
        let lines: Vec<&str> = m.code.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            let t = line.trim_start();
            let indent = line.len() - t.len();
            let is_fn = ["fn ", "pub fn ", "pub(crate) fn ", "pub(super) fn "]
                .iter()
                .any(|p| t.starts_with(p));
            if !is_fn || t.ends_with(';') || t.ends_with('}') {
                continue;
            }
            let close = format!("{}}}", " ".repeat(indent));
            let Some(len) = lines[i..].iter().position(|l| *l == close) else {
                continue;
            };
            if len < MAX_FN_LINES {
                continue;
            }
            // The comment lines directly above (doc comments, attributes skipped).
            let reason = lines[..i]
                .iter()
                .rev()
                .map(|l| l.trim())
                .take_while(|l| l.starts_with("//") || l.starts_with("#["))
                .any(|l| l.trim_start_matches('/').trim_start().starts_with("Long:"));
            if !reason {
                long.push(format!(
                    "{}:{} is {} lines",
                    m.path.display(),
                    i + 1,
                    len + 1
                ));
            }
        }
    }
    assert!(
        long.is_empty(),
        "functions to split into steps:\n{}",
        long.join("\n")
    );
}
