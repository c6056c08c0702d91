query
# nothing to ask
