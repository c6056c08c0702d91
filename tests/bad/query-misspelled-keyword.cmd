query
neighbors ISIL deph 2
