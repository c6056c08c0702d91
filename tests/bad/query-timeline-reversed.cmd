query
timeline from 9999-12-31 to 0000-01-01
