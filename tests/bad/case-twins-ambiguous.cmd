-g
case-twins.ron
query
neighbors FOO
