"""Demo data of the AFAS module (activités, lieux, habilitations, declarations)."""


def load(stdout):
    stdout.write("Module AFAS : aucune donnée de démonstration pour l'instant.")
