run
no-such-script.kgq
