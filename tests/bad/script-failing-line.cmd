run
failing-script.kgq
