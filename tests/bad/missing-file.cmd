check
no-such-file.ron
