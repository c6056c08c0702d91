import
--from
tsv
triples.tsv
-o
triples.tsv
--force
