check
a-directory
