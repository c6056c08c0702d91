query
neighbors ISIL depth 99999999999
