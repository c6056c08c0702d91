generate
--facts
10
-o
a-directory
--force
