import
--from
tsv
/dev/zero
-o
never-written.ron
