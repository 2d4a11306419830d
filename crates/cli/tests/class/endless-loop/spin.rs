loop { std::hint::spin_loop() }
