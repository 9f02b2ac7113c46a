//! Reading whitelisted functions out of an app's Python source (feature `methods`), with a real
//! Python parser (`rustpython-parser`): module-level functions and DocType controllers' methods
//! decorated with `@frappe.whitelist(...)` or `@whitelist(...)`, their parameters, annotations,
//! defaults, `allow_guest` and `methods=[...]`.
//!
//! A file's dotted module path comes from its packages (the folders with an `__init__.py`
//! above it), as Python imports it. A file that does not parse is a warning naming it; its
//! functions are left out. Tests (`test_*.py`, `tests/`) and patches are not read.

use std::path::{Path, PathBuf};

use rustpython_parser::Parse;
use rustpython_parser::ast::{self, Constant, Expr, Ranged, Stmt};

use super::methods::{Param, ParamKind, WhitelistedMethod};
use crate::error::Problem;

/// The whitelisted functions of every Python file under `dir`, sorted by path, and warnings
/// for the files that could not be read or parsed.
pub fn load_methods(dir: &Path) -> (Vec<WhitelistedMethod>, Vec<Problem>) {
    let mut files = Vec::new();
    python_files(dir, &mut files);
    files.sort();
    let mut methods = Vec::new();
    let mut warnings = Vec::new();
    for file in files {
        let source = match std::fs::read_to_string(&file) {
            Ok(s) => s,
            Err(e) => {
                warnings.push(file_problem(&file, format!("cannot be read: {e}")));
                continue;
            }
        };
        // Most files whitelist nothing; only those that mention it are parsed.
        if !source.contains("whitelist") {
            continue;
        }
        let Some(module) = module_path(&file) else {
            continue;
        };
        let doctype = controller_doctype(&file);
        match whitelisted(&source, &module, doctype.as_deref()) {
            Ok(found) => methods.extend(found),
            Err(message) => warnings.push(file_problem(
                &file,
                format!("{message}; its whitelisted functions are not generated"),
            )),
        }
    }
    methods.sort();
    methods.dedup_by(|a, b| a.path == b.path);
    (methods, warnings)
}

fn file_problem(file: &Path, message: String) -> Problem {
    Problem::doctype(file.display().to_string(), message)
}

fn python_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with('.') || matches!(&*name, "tests" | "patches" | "node_modules") {
            continue;
        }
        if path.is_dir() {
            python_files(&path, out);
        } else if name.ends_with(".py") && !name.starts_with("test_") {
            out.push(path);
        }
    }
}

/// `frappe/desk/reportview.py` -> `frappe.desk.reportview`: the file's name below the highest
/// folder of its chain of packages. `None` outside any package.
fn module_path(file: &Path) -> Option<String> {
    let stem = file.file_stem()?.to_str()?;
    let mut parts = vec![];
    if stem != "__init__" {
        parts.push(stem.to_owned());
    }
    let mut dir = file.parent()?;
    while dir.join("__init__.py").is_file() {
        parts.push(dir.file_name()?.to_str()?.to_owned());
        dir = dir.parent()?;
    }
    if parts.len() < 2 && stem != "__init__" {
        return None;
    }
    parts.reverse();
    Some(parts.join("."))
}

/// For a controller (`<module>/doctype/<folder>/<folder>.py`), the DocType named in the JSON
/// beside it.
fn controller_doctype(file: &Path) -> Option<String> {
    let folder = file.parent()?;
    if folder.parent()?.file_name()? != "doctype" || folder.file_name()? != file.file_stem()? {
        return None;
    }
    let json = std::fs::read_to_string(file.with_extension("json")).ok()?;
    let value: serde_json::Value = serde_json::from_str(&json).ok()?;
    value.get("name")?.as_str().map(str::to_owned)
}

/// The whitelisted functions of one module's source: its module-level functions and, when
/// `doctype` is given (a controller), the methods of its classes.
pub fn whitelisted(
    source: &str,
    module: &str,
    doctype: Option<&str>,
) -> Result<Vec<WhitelistedMethod>, String> {
    let suite = ast::Suite::parse(source, module).map_err(|e| {
        let line = source[..usize::from(e.offset).min(source.len())]
            .matches('\n')
            .count()
            + 1;
        format!("Python syntax error at line {line}: {}", e.error)
    })?;
    let mut out = Vec::new();
    for stmt in &suite {
        match stmt {
            Stmt::ClassDef(class) if doctype.is_some() => {
                for inner in &class.body {
                    if let Some(def) = FunctionDef::of(inner) {
                        let path = format!("{module}.{}.{}", class.name.as_str(), def.name);
                        out.extend(method(source, &def, path, doctype, true));
                    }
                }
            }
            _ => {
                if let Some(def) = FunctionDef::of(stmt) {
                    let path = format!("{module}.{}", def.name);
                    out.extend(method(source, &def, path, None, false));
                }
            }
        }
    }
    Ok(out)
}

/// The parts of a `def` or `async def` read here.
struct FunctionDef<'a> {
    name: &'a str,
    args: &'a ast::Arguments,
    body: &'a [Stmt],
    decorators: &'a [Expr],
    returns: Option<&'a Expr>,
}

impl<'a> FunctionDef<'a> {
    fn of(stmt: &'a Stmt) -> Option<Self> {
        match stmt {
            Stmt::FunctionDef(f) => Some(Self {
                name: f.name.as_str(),
                args: &f.args,
                body: &f.body,
                decorators: &f.decorator_list,
                returns: f.returns.as_deref(),
            }),
            Stmt::AsyncFunctionDef(f) => Some(Self {
                name: f.name.as_str(),
                args: &f.args,
                body: &f.body,
                decorators: &f.decorator_list,
                returns: f.returns.as_deref(),
            }),
            _ => None,
        }
    }
}

fn method(
    source: &str,
    def: &FunctionDef<'_>,
    path: String,
    doctype: Option<&str>,
    is_method: bool,
) -> Option<WhitelistedMethod> {
    let decorator = def.decorators.iter().find_map(whitelist_decorator)?;
    let mut params = Vec::new();
    let args = def.args;
    let plain = args.posonlyargs.iter().chain(&args.args);
    for (i, a) in plain.chain(&args.kwonlyargs).enumerate() {
        // A controller method's `self` is the document it is called on.
        if is_method && i == 0 && a.def.arg.as_str() == "self" {
            continue;
        }
        params.push(Param {
            name: a.def.arg.as_str().to_owned(),
            hint: a.def.annotation.as_deref().map(|e| text(source, e)),
            default: a.default.as_deref().map(|e| text(source, e)),
            kind: ParamKind::Plain,
        });
    }
    for (arg, kind) in [
        (&args.vararg, ParamKind::VarArgs),
        (&args.kwarg, ParamKind::VarKeywords),
    ] {
        if let Some(arg) = arg {
            params.push(Param {
                name: arg.arg.as_str().to_owned(),
                hint: arg.annotation.as_deref().map(|e| text(source, e)),
                default: None,
                kind,
            });
        }
    }
    Some(WhitelistedMethod {
        path,
        doctype: doctype.map(str::to_owned),
        params,
        returns: def.returns.map(|e| text(source, e)),
        allow_guest: decorator.allow_guest,
        http_methods: decorator.methods,
        doc: docstring(def.body),
    })
}

/// What a `@frappe.whitelist(...)` decorator says.
struct Whitelist {
    allow_guest: bool,
    methods: Vec<String>,
}

fn whitelist_decorator(expr: &Expr) -> Option<Whitelist> {
    let is_whitelist = |e: &Expr| match e {
        Expr::Name(n) => n.id.as_str() == "whitelist",
        Expr::Attribute(a) => {
            a.attr.as_str() == "whitelist"
                && matches!(&*a.value, Expr::Name(n) if n.id.as_str() == "frappe")
        }
        _ => false,
    };
    let mut found = Whitelist {
        allow_guest: false,
        methods: Vec::new(),
    };
    match expr {
        Expr::Call(call) if is_whitelist(&call.func) => {
            for kw in &call.keywords {
                match kw.arg.as_ref().map(|a| a.as_str()) {
                    Some("allow_guest") => {
                        found.allow_guest = matches!(
                            &kw.value,
                            Expr::Constant(c) if matches!(c.value, Constant::Bool(true))
                        );
                    }
                    Some("methods") => {
                        let elts = match &kw.value {
                            Expr::List(l) => &l.elts,
                            Expr::Tuple(t) => &t.elts,
                            _ => continue,
                        };
                        found.methods = elts
                            .iter()
                            .filter_map(|e| match e {
                                Expr::Constant(c) => match &c.value {
                                    Constant::Str(s) => Some(s.to_ascii_uppercase()),
                                    _ => None,
                                },
                                _ => None,
                            })
                            .collect();
                    }
                    _ => {}
                }
            }
            Some(found)
        }
        e if is_whitelist(e) => Some(found),
        _ => None,
    }
}

/// An expression's source text, its whitespace runs folded to one space.
fn text(source: &str, expr: &Expr) -> String {
    let range = expr.range();
    let raw = source
        .get(usize::from(range.start())..usize::from(range.end()))
        .unwrap_or_default();
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The first paragraph of a docstring.
fn docstring(body: &[Stmt]) -> Option<String> {
    let Some(Stmt::Expr(e)) = body.first() else {
        return None;
    };
    let Expr::Constant(c) = &*e.value else {
        return None;
    };
    let Constant::Str(s) = &c.value else {
        return None;
    };
    let first = s.trim().split("\n\n").next()?;
    let folded = first.split_whitespace().collect::<Vec<_>>().join(" ");
    (!folded.is_empty()).then_some(folded)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = r#"
import frappe
from frappe import whitelist

@frappe.whitelist()
def get_count(doctype, filters=None, debug=False, cache=False):
    return 1

@frappe.whitelist(allow_guest=True, methods=["post"])
def login(usr: str, pwd: str | None = None, *args, **kwargs) -> dict:
    """Log in.

    More text."""
    pass

@whitelist(methods=("GET",))
async def ping() -> str:
    return "pong"

def not_exposed(x):
    pass

@frappe.whitelist
def bare(
    names: list[str],
):
    pass

class ToDo(Document):
    @frappe.whitelist()
    def close(self, reason: str = "done"):
        pass
"#;

    #[test]
    fn decorated_functions_their_parameters_and_decorator_arguments() {
        let found = whitelisted(SOURCE, "frappe.client", None).unwrap();
        let paths: Vec<&str> = found.iter().map(|m| m.path.as_str()).collect();
        // Class methods only in a controller; undecorated functions never.
        assert_eq!(
            paths,
            [
                "frappe.client.get_count",
                "frappe.client.login",
                "frappe.client.ping",
                "frappe.client.bare"
            ]
        );
        let count = &found[0];
        assert_eq!(count.params.len(), 4);
        assert_eq!(count.params[1].default.as_deref(), Some("None"));
        assert_eq!(count.params[2].default.as_deref(), Some("False"));
        assert!(count.params.iter().all(|p| p.hint.is_none()));
        assert!(count.accepts("GET") && count.accepts("POST"));

        let login = &found[1];
        assert!(login.allow_guest);
        assert_eq!(login.http_methods, ["POST"]);
        assert!(!login.accepts("GET"));
        assert_eq!(login.returns.as_deref(), Some("dict"));
        assert_eq!(login.doc.as_deref(), Some("Log in."));
        let kinds: Vec<(&str, Option<&str>, ParamKind)> = login
            .params
            .iter()
            .map(|p| (p.name.as_str(), p.hint.as_deref(), p.kind))
            .collect();
        assert_eq!(
            kinds,
            [
                ("usr", Some("str"), ParamKind::Plain),
                ("pwd", Some("str | None"), ParamKind::Plain),
                ("args", None, ParamKind::VarArgs),
                ("kwargs", None, ParamKind::VarKeywords),
            ]
        );
        assert_eq!(found[2].http_methods, ["GET"]);
        assert_eq!(found[3].params[0].hint.as_deref(), Some("list[str]"));
    }

    #[test]
    fn a_controllers_methods_belong_to_its_doctype_without_self() {
        let found = whitelisted(SOURCE, "frappe.desk.doctype.todo.todo", Some("ToDo")).unwrap();
        let close = found.iter().find(|m| m.name() == "close").unwrap();
        assert_eq!(close.path, "frappe.desk.doctype.todo.todo.ToDo.close");
        assert_eq!(close.doctype.as_deref(), Some("ToDo"));
        assert_eq!(close.module(), "frappe.desk.doctype.todo.todo");
        assert_eq!(close.params.len(), 1);
        assert_eq!(close.params[0].default.as_deref(), Some("\"done\""));
        // Module-level functions of a controller file stay plain functions.
        let count = found.iter().find(|m| m.name() == "get_count").unwrap();
        assert_eq!(count.doctype, None);
        assert_eq!(count.module(), "frappe.desk.doctype.todo.todo");
    }

    #[test]
    fn a_syntax_error_is_reported_with_its_line() {
        let err = whitelisted("import frappe\n\ndef broken(:\n", "m.x", None).unwrap_err();
        assert!(err.starts_with("Python syntax error at line 3"), "{err}");
    }

    #[test]
    fn files_are_read_by_package_and_bad_files_become_warnings() {
        let dir = tempfile::tempdir().unwrap();
        let app = dir.path().join("myapp");
        let todo = app.join("desk/doctype/my_todo");
        std::fs::create_dir_all(&todo).unwrap();
        for pkg in ["", "desk", "desk/doctype", "desk/doctype/my_todo"] {
            std::fs::write(app.join(pkg).join("__init__.py"), "").unwrap();
        }
        std::fs::write(
            app.join("api.py"),
            "import frappe\n@frappe.whitelist()\ndef hello(name: str) -> str:\n    return name\n",
        )
        .unwrap();
        std::fs::write(app.join("broken.py"), "@frappe.whitelist()\ndef x(:\n").unwrap();
        std::fs::write(
            app.join("test_api.py"),
            "@frappe.whitelist()\ndef t():\n    pass\n",
        )
        .unwrap();
        std::fs::write(todo.join("my_todo.json"), r#"{"name": "My ToDo"}"#).unwrap();
        std::fs::write(
            todo.join("my_todo.py"),
            "import frappe\nclass MyToDo(Document):\n    @frappe.whitelist()\n    def close(self):\n        pass\n",
        )
        .unwrap();
        let (methods, warnings) = load_methods(dir.path());
        let paths: Vec<&str> = methods.iter().map(|m| m.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "myapp.api.hello",
                "myapp.desk.doctype.my_todo.my_todo.MyToDo.close"
            ]
        );
        assert_eq!(methods[1].doctype.as_deref(), Some("My ToDo"));
        assert_eq!(warnings.len(), 1);
        let warning = warnings[0].to_string();
        assert!(
            warning.contains("broken.py") && warning.contains("line 2"),
            "{warning}"
        );
    }
}
