export
--format
dot
-o
/proc/no-such-dir/graph.dot
