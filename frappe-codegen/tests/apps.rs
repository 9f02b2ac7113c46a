//! Several apps loaded together, as `bench migrate` combines them: a later app's DocType file
//! replaces an earlier app's (Frappe 15 and ERPNext 15 both ship `Print Heading`; a site has
//! ERPNext's), with a warning naming both files. The fixtures in `tests/fixtures/bench` are our
//! own: a bench with three apps that each ship a different `Print Heading`, and a
//! `sites/apps.txt` whose order differs from the alphabetical one.

use std::path::{Path, PathBuf};

use frappe_codegen::{Config, DocType, load_dir, load_dirs};

fn bench() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bench")
}

fn app(name: &str) -> PathBuf {
    bench().join("apps").join(name)
}

fn heading_file(app_name: &str, module: &str) -> String {
    app(app_name)
        .join(app_name)
        .join(module)
        .join("doctype/print_heading/print_heading.json")
        .display()
        .to_string()
}

/// The one `Print Heading` loaded: its module says which app's it is.
fn print_heading(doctypes: &[DocType]) -> &DocType {
    let found: Vec<&DocType> = doctypes
        .iter()
        .filter(|d| d.name == "Print Heading")
        .collect();
    assert_eq!(found.len(), 1, "{found:?}");
    found[0]
}

fn replaced(later: &str, earlier: &str) -> String {
    format!(
        "Print Heading: {later} replaces {earlier}: a later app's DocType file overrides an \
         earlier app's, as `bench migrate` syncs apps in order (frappe first)"
    )
}

#[test]
fn a_later_app_overrides_frappes_doctype_with_a_warning() {
    let loaded = load_dirs([app("frappe"), app("erp_lite")]).unwrap();
    assert_eq!(print_heading(&loaded.doctypes).module, "Setup");
    let warnings: Vec<String> = loaded.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [replaced(
            &heading_file("erp_lite", "setup"),
            &heading_file("frappe", "printing")
        )]
    );
    // It generates: one struct, the later app's fields, in the later app's module.
    let code = Config::new().generate(&loaded.doctypes).unwrap();
    assert!(code.contains("pub mod setup {"), "{code}");
    assert!(!code.contains("pub mod printing {"), "{code}");
    assert!(code.contains("pub disabled: bool,"), "{code}");
    assert!(
        code.contains("pub heading: Option<Link<PrintHeading>>,"),
        "{code}"
    );
}

#[test]
fn the_order_of_the_directories_is_the_sync_order() {
    let loaded = load_dirs([app("erp_lite"), app("frappe")]).unwrap();
    assert_eq!(print_heading(&loaded.doctypes).module, "Printing");
    assert_eq!(loaded.warnings.len(), 1);
}

#[test]
fn one_directory_with_two_different_definitions_is_still_a_problem() {
    // Without an order between them there is nothing to decide by: lowering reports it.
    let dir = tempfile::tempdir().unwrap();
    for (i, module) in [("frappe", "printing"), ("erp_lite", "setup")] {
        let to = dir.path().join(format!("{i}.json"));
        std::fs::copy(heading_file(i, module), to).unwrap();
    }
    let doctypes = load_dir(dir.path()).unwrap();
    let err = Config::new().generate(&doctypes).unwrap_err().to_string();
    assert!(
        err.contains("Print Heading: defined twice with different contents"),
        "{err}"
    );
}

#[test]
fn a_bench_apps_folder_follows_sites_apps_txt_with_frappe_first() {
    // apps.txt lists erp_lite, frappe, brand_kit: synced as frappe, erp_lite, brand_kit.
    let loaded = load_dirs([bench().join("apps")]).unwrap();
    assert_eq!(print_heading(&loaded.doctypes).module, "Branding");
    let warnings: Vec<String> = loaded.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(
        warnings,
        [
            replaced(
                &heading_file("erp_lite", "setup"),
                &heading_file("frappe", "printing")
            ),
            replaced(
                &heading_file("brand_kit", "branding"),
                &heading_file("erp_lite", "setup")
            ),
        ]
    );
    // The other DocTypes of the bench are all there.
    assert!(loaded.doctypes.iter().any(|d| d.name == "Letter Style"));
    // load_dir has no way to warn: the override is an error pointing at load_dirs.
    let err = load_dir(bench().join("apps")).unwrap_err().to_string();
    assert!(
        err.contains("load_dirs keeps the later app's definition"),
        "{err}"
    );
}

/// Copies `from` into `to` (the fixture bench without its `sites/apps.txt`).
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

#[test]
fn a_bench_without_apps_txt_syncs_frappe_first_then_by_name() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&bench().join("apps"), &dir.path().join("apps"));
    // frappe, brand_kit, erp_lite: erp_lite's comes last and wins.
    let loaded = load_dirs([dir.path().join("apps")]).unwrap();
    assert_eq!(print_heading(&loaded.doctypes).module, "Setup");
    assert_eq!(loaded.warnings.len(), 2);
}

#[test]
fn a_bench_whose_apps_txt_disagrees_with_its_folders_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&bench(), dir.path());
    let apps_txt = dir.path().join("sites/apps.txt");
    std::fs::write(&apps_txt, "frappe\nerp_lite\nbrand_kit\nhrms\n").unwrap();
    let err = load_dirs([dir.path().join("apps")])
        .unwrap_err()
        .to_string();
    assert!(err.contains("apps.txt: lists \"hrms\""), "{err}");

    std::fs::write(&apps_txt, "frappe\nerp_lite\n").unwrap();
    let err = load_dirs([dir.path().join("apps")])
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("brand_kit: is an app that") && err.contains("does not list"),
        "{err}"
    );
}

#[test]
fn frappe_s_own_print_heading_is_replaced_by_a_later_app() {
    // The real Frappe 15 tree of ../shared with a second app shipping its own Print Heading: the
    // combination that used to stop with "defined twice with different contents".
    let frappe = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/frappe-v15/doctypes");
    let loaded = load_dirs([frappe.clone(), app("erp_lite")]).unwrap();
    assert_eq!(print_heading(&loaded.doctypes).module, "Setup");
    let warnings: Vec<String> = loaded.warnings.iter().map(ToString::to_string).collect();
    let real = frappe
        .join("frappe/printing/doctype/print_heading/print_heading.json")
        .display()
        .to_string();
    assert_eq!(
        warnings,
        [replaced(&heading_file("erp_lite", "setup"), &real)]
    );
    Config::new()
        .only(["Print Heading", "Letter Style"])
        .generate(&loaded.doctypes)
        .unwrap();
}
