check a-directory
