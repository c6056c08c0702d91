query
--colour
stats
