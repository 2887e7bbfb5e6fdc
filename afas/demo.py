"""Demo data of the AFAS module: activités and habilitations, then declarations."""

from .declarations import demo as declarations_demo
from .habilitations import demo as habilitations_demo


def load(stdout):
    habilitations_demo.load(stdout)
    declarations_demo.load(stdout)
    stdout.write("Module AFAS : prêt.")
