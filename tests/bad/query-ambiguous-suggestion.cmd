query
show Palmira
