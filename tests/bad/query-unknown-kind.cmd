query
entities kind town
