query
timeline ISIL to 2014 from late 2015
