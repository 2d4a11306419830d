//! What the chapters' benchmarks say about the machine they ran on.

/// The CPU's model name from /proc/cpuinfo (Linux), or a placeholder where it is not available.
pub fn cpu_model() -> String {
    std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|line| line.starts_with("model name"))
                .and_then(|line| line.split_once(':'))
                .map(|(_, model)| model.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".to_owned())
}

/// The machine, as each benchmark's report names it: the CPU, the OS and architecture, and the
/// number of threads that can run at once, such as
/// ``Intel(R) Xeon(R) Processor (linux x86_64), `available_parallelism()` = 2``.
pub fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    format!(
        "{} ({} {}), `available_parallelism()` = {cores}",
        cpu_model(),
        std::env::consts::OS,
        std::env::consts::ARCH
    )
}

/// Runs a benchmark's Python script, `benches/<name>` of chapter `chapter` (such as
/// `"05-locks"`), with `args`, and returns what it printed: `Ok(Ok(stdout))`, or `Ok(Err(why))`
/// when there is no `python3` to run it (the benchmark then says Python was skipped).
/// `crate_dir` is the benchmark's `CARGO_MANIFEST_DIR`: the exercise's own crate, or the
/// solution's, which finds the exercise's script by path.
///
/// # Errors
///
/// If the script is missing, or `python3` ran it and it failed (with its stderr).
pub fn run_python_script(
    crate_dir: &str,
    chapter: &str,
    name: &str,
    args: &[String],
) -> Result<Result<String, String>, String> {
    let here = std::path::Path::new(crate_dir);
    let script = [
        here.join("benches").join(name),
        here.join("../../exercises")
            .join(chapter)
            .join("benches")
            .join(name),
    ]
    .into_iter()
    .find(|path| path.is_file())
    .ok_or_else(|| format!("benches/{name} is missing"))?;
    eprintln!("running {} ...", script.display());
    let output = match std::process::Command::new("python3")
        .arg(&script)
        .args(args)
        .output()
    {
        Ok(output) => output,
        Err(e) => return Ok(Err(format!("python3 could not be started ({e})"))),
    };
    if !output.status.success() {
        return Err(format!(
            "{} failed: {}",
            script.display(),
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(Ok(String::from_utf8_lossy(&output.stdout).into_owned()))
}

#[cfg(test)]
mod tests {
    #[test]
    fn cpu_model_names_something() {
        let model = super::cpu_model();
        assert!(!model.is_empty() && model.trim() == model, "{model:?}");
    }

    #[test]
    fn machine_names_the_cpu_and_the_cores() {
        let machine = super::machine();
        assert!(machine.starts_with(&super::cpu_model()), "{machine}");
        assert!(
            machine.contains("`available_parallelism()` = "),
            "{machine}"
        );
    }
}
