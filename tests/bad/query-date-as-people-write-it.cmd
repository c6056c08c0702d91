query
show Tadmor at 08/06/2017
