query
show "Al Sukhna
