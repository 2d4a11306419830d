compile_error!("a given file, replaced");
