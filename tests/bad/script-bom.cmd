run
script-bom.kgq
