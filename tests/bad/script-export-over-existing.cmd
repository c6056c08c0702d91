run
script-export-over-existing.kgq
