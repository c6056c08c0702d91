query
path "Ḥalab" to "دير الزور"
