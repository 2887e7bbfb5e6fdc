"""Demo data of the AFAS module: activités and habilitations, then declarations."""

from . import declarations as declarations_demo
from . import habilitations as habilitations_demo
from . import reviews as reviews_demo


def load(stdout):
    habilitations_demo.load(stdout)
    declarations_demo.load(stdout)
    reviews_demo.load(stdout)
    stdout.write("Module AFAS : prêt.")
