query
path "Ḥims" to "دير الزور"
