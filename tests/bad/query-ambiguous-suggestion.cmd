query
show Palmyrx
