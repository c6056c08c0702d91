query
show Tadmor
