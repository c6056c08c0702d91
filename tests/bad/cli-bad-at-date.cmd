query
--at
late 2014..2013
stats
