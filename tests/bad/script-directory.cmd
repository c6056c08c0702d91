run
a-directory
