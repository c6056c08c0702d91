-g
bom-is-accepted.ron
export
--format
ntriples
-o
/dev/null
--force
