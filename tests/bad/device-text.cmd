check
quote-not-verbatim.ron
--text
national=/dev/urandom
