//! The `xroad-share` binary: parse the command line, run, exit with the code.

fn main() -> std::process::ExitCode {
    std::process::ExitCode::from(xroad_share::main_with_args(std::env::args_os()))
}
