query
neighbrs ISIL
