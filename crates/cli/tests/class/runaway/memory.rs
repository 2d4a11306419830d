{ let mut all: Vec<Vec<u8>> = Vec::new(); loop { all.push(vec![0; 1 << 30]); } }
