run
/dev/zero
