//! The `frappe-codegen` command line; see `frappe-codegen --help` and [`frappe_codegen::cli`].

fn main() {
    let code = frappe_codegen::cli::run(
        std::env::args_os(),
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    );
    std::process::exit(code);
}
