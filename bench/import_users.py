"""The import of 10,000 partner users (rules 26–27, issue 14), timed step by step: the file read by
core/file_import.py, the check of every line (the task check_user_import) and the creation of all the users
with their groups, history, audit trail and queued activation mails (the task create_imported_users).
Run by run.py in the benchmark's environment (`make bench`, `make bench-quick`, `bench/run.py
--import-only`):

    python bench/import_users.py RESULT.json

Its data (one Caf, one organisme, its convention and administrator) is built inside a transaction that is
rolled back at the end: the benchmark's database is left as found, and no mail is sent (the mails are
queued in that transaction). BENCH_IMPORT_USERS changes the number of lines."""

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench.steps import Figures, rolled_back, write_result  # noqa: E402

USERS = int(os.environ.get("BENCH_IMPORT_USERS", "10000"))


def build():
    """The partner, its convention and its MCP administrator, through the models as load_demo builds its
    own, and the two groups a file names."""
    from accounts.models import User
    from conventions.models import (
        Convention,
        ConventionAdministrator,
        HabilitationGroup,
    )
    from devtools.builders import bench_partner

    caf, organisme = bench_partner("BANCU", "d'import d'utilisateurs", "9999999999998")
    convention = Convention.objects.create(libelle="Convention du banc", caf=caf, organisme=organisme)
    admin = User.objects.create_user(None, None, organisme=organisme, nom="BANC", prenom="Admin")
    ConventionAdministrator.objects.create(convention=convention, user=admin)
    for code, libelle in [
        (HabilitationGroup.DECLARER, "AFAS-DEC - AFAS Déclarer"),
        (HabilitationGroup.HABILITER, "AFAS-HAB - AFAS Habiliter"),
    ]:
        HabilitationGroup.objects.get_or_create(code=code, defaults={"libelle": libelle})
    return convention, admin


def filled_csv(count):
    """A file as an administrator fills it: semicolons, UTF-8 with BOM, accents, phones, groups by code
    (nine lines in ten) or none."""
    lines = ["Nom;Prénom;Mail;Téléphone;Groupe"]
    for n in range(count):
        group = "" if n % 10 == 9 else "AFAS-DECLARER"
        lines.append(
            f"Lefèvre{n:05};Hélène;helene.lefevre{n:05}@banc.fr;04 77 {n // 100:02} {n % 100:02} 00;{group}"
        )
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def measure():
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile

    from conventions.imports import (
        check_user_import,
        confirm_user_import,
        create_imported_users,
        read_user_lines,
        start_user_import,
    )
    from conventions.models import UserImport

    figures = Figures()
    with rolled_back():
        with figures.timed("build"):
            convention, admin = build()
            content = filled_csv(USERS)
        with figures.timed("read"):
            lines = read_user_lines(SimpleUploadedFile("banc.csv", content, "text/csv"))
        user_import = start_user_import(
            convention, lines, filename="banc.csv", by=admin, ip="127.0.0.1", site_base="http://127.0.0.1/"
        )
        with figures.timed("check"):
            check_user_import.call(user_import.pk)
        user_import.refresh_from_db()
        assert user_import.status == UserImport.Status.CHECKED and not user_import.errors, user_import.errors[
            :3
        ]
        assert confirm_user_import(user_import, by=admin, ip="127.0.0.1")
        with figures.timed("create"):
            create_imported_users.call(user_import.pk)
        user_import.refresh_from_db()
        assert user_import.status == UserImport.Status.APPLIED, user_import.errors[:3]
        figures["lines"] = len(lines)
        figures["created"] = len(user_import.created_users)
        figures["file_bytes"] = len(content)
    return figures


if __name__ == "__main__":
    write_result(measure)
