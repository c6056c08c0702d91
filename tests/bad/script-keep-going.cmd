run
--keep-going
failing-script.kgq
