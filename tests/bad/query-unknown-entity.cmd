query
neighbors Homz
