import
--from
tsv
import-bad-date.tsv
-o
import-bad-date.out.ron
