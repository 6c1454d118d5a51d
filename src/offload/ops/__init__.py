"""Operations shared by the commands: put, get, pull, verify."""
