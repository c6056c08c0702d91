-g
no-such.ron
stats
