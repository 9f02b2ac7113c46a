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
            Ok((found, left_out)) => {
                methods.extend(found);
                warnings.extend(left_out.into_iter().map(|why| file_problem(&file, why)));
            }
            Err(message) => warnings.push(file_problem(
                &file,
                format!("{message}; its whitelisted functions are not generated"),
            )),
        }
    }
    super::methods::sort_unique(&mut methods);
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
        // Not through symbolic links: a link back up the tree would never end.
        let Ok(kind) = entry.file_type() else {
            continue;
        };
        if kind.is_dir() {
            python_files(&path, out);
        } else if kind.is_file() && name.ends_with(".py") && !name.starts_with("test_") {
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
/// `doctype` is given (a controller), the methods of the class Frappe loads for it (the DocType's
/// name without spaces and hyphens). The second list: functions left out, with why (a decorator
/// argument that is not a literal).
pub fn whitelisted(
    source: &str,
    module: &str,
    doctype: Option<&str>,
) -> Result<(Vec<WhitelistedMethod>, Vec<String>), String> {
    let suite = ast::Suite::parse(source, module).map_err(|e| {
        let line = source[..usize::from(e.offset).min(source.len())]
            .matches('\n')
            .count()
            + 1;
        format!("Python syntax error at line {line}: {}", e.error)
    })?;
    let controller = doctype.map(|d| d.replace([' ', '-'], ""));
    let mut out = Vec::new();
    let mut left_out = Vec::new();
    let mut keep = |path: String, found: Option<Result<WhitelistedMethod, String>>| match found {
        Some(Ok(m)) => out.push(m),
        Some(Err(why)) => left_out.push(format!("{path}: {why}; no typed call generated")),
        None => {}
    };
    for stmt in &suite {
        match stmt {
            Stmt::ClassDef(class) if controller.as_deref() == Some(class.name.as_str()) => {
                for inner in &class.body {
                    if let Some(def) = FunctionDef::of(inner) {
                        let path = format!("{module}.{}.{}", class.name.as_str(), def.name);
                        keep(path.clone(), method(source, &def, path, doctype, true));
                    }
                }
            }
            _ => {
                if let Some(def) = FunctionDef::of(stmt) {
                    let path = format!("{module}.{}", def.name);
                    keep(path.clone(), method(source, &def, path, None, false));
                }
            }
        }
    }
    Ok((out, left_out))
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
) -> Option<Result<WhitelistedMethod, String>> {
    let decorator = match def.decorators.iter().find_map(whitelist_decorator)? {
        Ok(d) => d,
        Err(why) => return Some(Err(why)),
    };
    let is_static = def
        .decorators
        .iter()
        .any(|d| matches!(d, Expr::Name(n) if n.id.as_str() == "staticmethod"));
    let mut params = Vec::new();
    let args = def.args;
    let plain = args.posonlyargs.iter().chain(&args.args);
    for (i, a) in plain.chain(&args.kwonlyargs).enumerate() {
        // A method's first parameter is the document (`self`) or its class (`cls`).
        if is_method && !is_static && i == 0 {
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
    Some(Ok(WhitelistedMethod {
        path,
        doctype: doctype.map(str::to_owned),
        params,
        returns: def.returns.map(|e| text(source, e)),
        allow_guest: decorator.allow_guest,
        http_methods: decorator.methods,
        doc: docstring(def.body),
    }))
}

/// What a `@frappe.whitelist(...)` decorator says.
struct Whitelist {
    allow_guest: bool,
    methods: Vec<String>,
}

/// The decorator's arguments when `expr` is `@frappe.whitelist(...)` / `@whitelist(...)`:
/// `None` for another decorator, an error for arguments that are not literals (what they
/// allow cannot be known without running the code).
fn whitelist_decorator(expr: &Expr) -> Option<Result<Whitelist, String>> {
    let is_whitelist = |e: &Expr| match e {
        Expr::Name(n) => n.id.as_str() == "whitelist",
        Expr::Attribute(a) => {
            a.attr.as_str() == "whitelist"
                && matches!(&*a.value, Expr::Name(n) if n.id.as_str() == "frappe")
        }
        _ => false,
    };
    match expr {
        Expr::Call(call) if is_whitelist(&call.func) => Some(decorator_args(call)),
        e if is_whitelist(e) => Some(Ok(Whitelist {
            allow_guest: false,
            methods: Vec::new(),
        })),
        _ => None,
    }
}

fn decorator_args(call: &ast::ExprCall) -> Result<Whitelist, String> {
    let mut found = Whitelist {
        allow_guest: false,
        methods: Vec::new(),
    };
    let flag = |e: &Expr| match e {
        Expr::Constant(c) => match c.value {
            Constant::Bool(b) => Ok(b),
            _ => Err(()),
        },
        _ => Err(()),
    };
    // `whitelist(allow_guest=False, xss_safe=False, methods=None)`, positionally too.
    let named = ["allow_guest", "xss_safe", "methods"];
    let args = call.args.iter().zip(named).map(|(e, n)| (n, e)).chain(
        call.keywords
            .iter()
            .filter_map(|k| Some((k.arg.as_ref()?.as_str(), &k.value))),
    );
    for (name, value) in args {
        let text = || format!("`{name}=` is not a literal");
        match name {
            "allow_guest" => found.allow_guest = flag(value).map_err(|()| text())?,
            "methods" => {
                let strings = |elts: &[Expr]| {
                    elts.iter()
                        .map(|e| match e {
                            Expr::Constant(c) => match &c.value {
                                Constant::Str(s) => Ok(s.clone()),
                                _ => Err(text()),
                            },
                            _ => Err(text()),
                        })
                        .collect::<Result<Vec<String>, String>>()
                };
                // Kept as written: Frappe compares them with the request's method as they are.
                found.methods = match value {
                    Expr::List(l) => strings(&l.elts)?,
                    Expr::Tuple(t) => strings(&t.elts)?,
                    Expr::Constant(c) => match &c.value {
                        Constant::Str(s) => vec![s.clone()],
                        Constant::None => Vec::new(),
                        _ => return Err(text()),
                    },
                    _ => return Err(text()),
                };
            }
            _ => {}
        }
    }
    Ok(found)
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

@frappe.whitelist(allow_guest=True, methods=["POST"])
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

    @frappe.whitelist()
    @classmethod
    def count_open(cls, owner: str):
        pass

class Helper:
    @frappe.whitelist()
    def not_a_controller_method(self):
        pass
"#;

    #[test]
    fn decorated_functions_their_parameters_and_decorator_arguments() {
        let (found, left_out) = whitelisted(SOURCE, "frappe.client", None).unwrap();
        assert!(left_out.is_empty(), "{left_out:?}");
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
        let (found, _) =
            whitelisted(SOURCE, "frappe.desk.doctype.todo.todo", Some("ToDo")).unwrap();
        let close = found.iter().find(|m| m.name() == "close").unwrap();
        // Only the class Frappe loads for the DocType; `cls` is left out like `self`.
        assert!(!found.iter().any(|m| m.name() == "not_a_controller_method"));
        let count = found.iter().find(|m| m.name() == "count_open").unwrap();
        let names: Vec<&str> = count.params.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["owner"]);
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
    fn decorator_arguments_as_frappe_reads_them_and_non_literals_left_out() {
        let source = r#"
import frappe
GET_ONLY = ["GET"]

@frappe.whitelist(methods="GET")
def one(): pass

@frappe.whitelist(True, methods=["post"])
def two(): pass

@frappe.whitelist(methods=GET_ONLY)
def three(): pass

@frappe.whitelist(allow_guest=is_guest_ok())
def four(): pass
"#;
        let (found, left_out) = whitelisted(source, "app.api", None).unwrap();
        let read: Vec<(&str, bool, Vec<&str>)> = found
            .iter()
            .map(|m| {
                let methods = m.http_methods.iter().map(String::as_str).collect();
                (m.name(), m.allow_guest, methods)
            })
            .collect();
        // A lone string is a one-method list for Frappe (`request.method not in methods`),
        // the case is kept (Frappe compares it as written), allow_guest may be positional.
        assert_eq!(
            read,
            [("one", false, vec!["GET"]), ("two", true, vec!["post"])]
        );
        assert!(!found[1].accepts("POST"));
        assert_eq!(left_out.len(), 2, "{left_out:?}");
        assert!(left_out[0].starts_with("app.api.three: `methods=` is not a literal"));
        assert!(left_out[1].starts_with("app.api.four: `allow_guest=` is not a literal"));
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
