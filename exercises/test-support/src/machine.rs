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
