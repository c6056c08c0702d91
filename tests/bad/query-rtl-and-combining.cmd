query
show ‮Tadmor‬
