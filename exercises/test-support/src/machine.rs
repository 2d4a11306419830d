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

#[cfg(test)]
mod tests {
    #[test]
    fn cpu_model_names_something() {
        let model = super::cpu_model();
        assert!(!model.is_empty() && model.trim() == model, "{model:?}");
    }
}
