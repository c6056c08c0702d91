-g
bom-is-accepted.ron
export
--format
dot
-o
bom-is-accepted.ron
--force
