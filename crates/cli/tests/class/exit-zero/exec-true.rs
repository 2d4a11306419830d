{ use std::os::unix::process::CommandExt; let e = std::process::Command::new("/bin/true").exec(); panic!("{e}") }
