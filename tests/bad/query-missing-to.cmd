query
path ISIL too Homs
