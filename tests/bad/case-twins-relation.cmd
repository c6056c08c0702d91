-g
case-twins.ron
query
neighbors bar via KNOWS
