query
path ISIL to Homs all min 5 max 2
