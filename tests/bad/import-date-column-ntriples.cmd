import
--from
ntriples
--date-column
5
triples.tsv
-o
import-date-column-ntriples.out.ron
