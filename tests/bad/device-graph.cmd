-g
/dev/urandom
stats
