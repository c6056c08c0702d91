import
--from
json
/dev/zero
-o
never-written.ron
