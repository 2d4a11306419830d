{ let mut all = Vec::new(); loop { all.push(std::thread::spawn(|| std::thread::park())); } }
