-g
bom-is-accepted.ron
run
script-export-over-itself.kgq
