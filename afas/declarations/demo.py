def load(stdout):
    pass
