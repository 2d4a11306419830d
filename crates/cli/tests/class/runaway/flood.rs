loop { println!("{}", "flood ".repeat(10_000)); }
