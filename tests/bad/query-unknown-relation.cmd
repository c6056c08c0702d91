query
neighbors ISIL via besiges
