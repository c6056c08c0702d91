query

