{ let quit: fn(i32) -> ! = std::process::exit; quit(0) }
