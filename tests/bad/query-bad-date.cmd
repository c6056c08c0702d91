query
show Tadmor at 2017-02-30
