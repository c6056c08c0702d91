check
/dev/zero
