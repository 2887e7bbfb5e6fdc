"""The import of 10,000 lines of données d'activité (rules 23–25), timed step by step: the file read by
core/file_import.py, the line-by-line check, the all-or-nothing apply. Run by run.py in the benchmark's
environment (`make bench`, `make bench-quick`, `bench/run.py --import-only`):

    python bench/import_lines.py RESULT.json

Its data (one partner of 125 activités of 10 lieux each, one Fr DA, a campaign: 1,250 parts × 8 measures)
is built inside a transaction that is rolled back at the end: the benchmark's database is left as found.
BENCH_IMPORT_ACTIVITES changes the number of activités (10 lieux and 80 lines each)."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.steps import Figures, rolled_back, write_result  # noqa: E402

ACTIVITES = int(os.environ.get("BENCH_IMPORT_ACTIVITES", "125"))
LIEUX = 10


def build():
    """The partner, its declarant (in AFAS-DECLARER, Fr DA of every activité) and the campaign, through the
    models and the declarations' services, as load_demo builds its own."""
    import datetime

    from accounts.models import User
    from afas.declarations.services import create_declaration
    from afas.models import (
        Activite,
        ActivityNature,
        ActivityType,
        Campaign,
        DeclarationType,
        Habilitation,
        Lieu,
        Role,
    )
    from conventions.models import HabilitationGroup, Membership
    from devtools.builders import bench_partner

    caf, organisme = bench_partner("BANC", "d'import", "9999999999999")
    user = User.objects.create_user(None, None, organisme=organisme, nom="BANC", prenom="Import")
    declarer = HabilitationGroup.objects.get_or_create(
        code=HabilitationGroup.DECLARER, defaults={"libelle": "AFAS-DEC - AFAS Déclarer"}
    )[0]
    Membership.objects.create(user=user, group=declarer, date_ouverture=datetime.date(2020, 1, 1))
    alsh = ActivityType.objects.get_or_create(code="ALSH", defaults={"libelle": "Accueil de loisirs"})[0]
    nature = ActivityNature.objects.get_or_create(libelle="Périscolaire")[0]
    campaign = Campaign.objects.create(
        caf=caf,
        activity_type=alsh,
        type=DeclarationType.REEL,
        exercice=2025,
        date_ouverture=datetime.date(2026, 1, 15),
        date_limite=datetime.date(2099, 12, 31),
    )
    for index in range(ACTIVITES):
        activite = Activite.objects.create(
            organisme=organisme, nom=f"Banc {index:03}", type=alsh, nature=nature
        )
        Lieu.objects.bulk_create(Lieu(activite=activite, nom=f"Site {n:02}") for n in range(LIEUX))
        Habilitation.objects.create(
            user=user, activite=activite, role=Role.FR_DA, debut=datetime.date(2020, 1, 1)
        )
        create_declaration(activite, campaign.type, campaign.exercice, campaign)
    return user, campaign


def filled_csv(rows):
    """The template as a declarant fills it: every value given, French figures, semicolons, UTF-8 BOM."""
    from afas.declarations import imports

    values = {
        "jours_ouverture": "180",
        "heures_ouverture_jour": "10,5",
        "capacite": "40",
        "inscrits_moins_6": "12",
        "inscrits_6_plus": "30",
        "heures_realisees_moins_6": "1 234,50",
        "heures_realisees_6_plus": "4 321,25",
        "heures_facturees": "5 000",
    }
    lines = [";".join(imports.COLUMNS)]
    for row in rows:
        row = [str(cell) for cell in row]
        row[-1] = values[row[4]]
        lines.append(";".join(row))
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def measure():
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile

    from afas.declarations import imports
    from afas.models import DeclarationImport
    from core.file_import import read_table

    figures = Figures()
    with rolled_back():
        with figures.timed("build"):
            user, campaign = build()
            content = filled_csv(imports.template_rows(user, campaign))
        with figures.timed("read"):
            lines = read_table(
                SimpleUploadedFile("banc.csv", content, "text/csv"),
                imports.COLUMNS,
                required=imports.REQUIRED_COLUMNS,
            )
        declaration_import = DeclarationImport.objects.create(
            created_by=user,
            campaign=campaign,
            file_name="banc.csv",
            lines=[[line.number, line.values] for line in lines],
            total=len(lines),
        )
        with figures.timed("check"):
            imports.run_check(declaration_import)
        preview = declaration_import.preview
        assert not preview["refused"], preview["refused"][:3]
        with figures.timed("apply"):
            figures["parts"] = imports.apply_parts(preview["parts"], user)
        figures["lines"] = len(lines)
        figures["changes"] = len(preview["changes"])
        figures["file_bytes"] = len(content)
    return figures


if __name__ == "__main__":
    write_result(measure)
