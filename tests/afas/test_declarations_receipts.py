"""Rules 30 and 31: the accusé de réception of each transmission, and its PDF."""

import datetime
import importlib
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.apps import apps
from django.test import RequestFactory
from pypdf import PdfReader
from pypdf.generic import BooleanObject

from afas.declarations import services
from afas.declarations.receipts import receipt_of, receipt_pdf
from afas.models import Declaration, FinancialData, Receipt, State, StateChange
from core.errors import Refused
from tests.accounts.factories import UserFactory
from tests.afas.factories import ActiviteFactory, DeclarationFactory, ReceiptFactory
from tests.clock import NOW, on_today
from tests.conventions.factories import CafFactory, OrganismeFactory

from .declarations_data import activity, financial

pytestmark = [pytest.mark.django_db, on_today]
ONE_SECOND = datetime.timedelta(seconds=1)


def to_approve(activite=None, **values):
    return DeclarationFactory(
        activite=activite or ActiviteFactory(nom="Péri Assoc"),
        state=State.A_APPROUVER,
        values=activity(**values),
        financial=financial(),
    )


def activite_of(caf):
    return ActiviteFactory(organisme=OrganismeFactory(caf=caf))


def test_transmitting_makes_a_receipt_of_who_when_and_the_figures_sent():
    declaration = to_approve(heures_facturees=51000)
    caf = declaration.activite.organisme.caf
    approbateur = UserFactory(prenom="Claire", nom="BERNARD")
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.7")
    services.transmit(declaration, approbateur, request)
    receipt = Receipt.objects.get()
    assert receipt.reference == f"AR-2026-{caf.code}-000001"
    assert receipt.declaration == declaration and receipt.caf == caf
    assert receipt.transmitted_by == approbateur and receipt.transmitted_by_name == "Claire BERNARD"
    assert abs(receipt.transmitted_at - StateChange.objects.get(to_state=State.TRANSMISE).at) < ONE_SECOND
    assert abs(receipt.transmitted_at - NOW) < datetime.timedelta(minutes=1)
    assert receipt.ip_address == "192.0.2.7"
    rows = {row["code"]: row["shown"] for row in receipt.figures["parts"][0]["rows"]}
    assert rows["heures_facturees"] == "51\u202f000,00\u00a0h"
    key = {figure["code"]: figure["shown"] for figure in receipt.figures["key_figures"]}
    assert key["total_charges"] == "100\u202f000,00\u00a0€" and key["prix_revient_horaire"] == "2,00\u00a0€"


def test_the_cafs_mail_of_each_transmission_gives_its_receipt_number(
    mailoutbox, django_capture_on_commit_callbacks
):
    caf = CafFactory(code="421")
    declaration = to_approve(activite_of(caf))
    UserFactory(caf_agent=True, caf=caf, email="agent@caf.fr")
    with django_capture_on_commit_callbacks(execute=True):
        services.transmit(declaration, UserFactory(prenom="Claire", nom="BERNARD"))
    assert mailoutbox[0].to == ["agent@caf.fr"]
    assert (
        "Accusé de réception n° AR-2026-421-000001 (transmission du 02/12/2026 à 10h00)" in mailoutbox[0].body
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.return_for_correction(
            declaration, UserFactory(caf_agent=True, caf=caf), "À revoir", services.CAF
        )
    Declaration.objects.filter(pk=declaration.pk).update(state=State.A_APPROUVER)
    declaration.state = State.A_APPROUVER
    with django_capture_on_commit_callbacks(execute=True):
        services.transmit(declaration, UserFactory())
    assert "Accusé de réception n° AR-2026-421-000002" in mailoutbox[-1].body


def test_a_refused_transmission_makes_no_receipt():
    declaration = to_approve()
    declaration.state = State.EN_COURS  # not « À approuver »: the transition is refused
    with pytest.raises(Refused):
        services.transmit(declaration, UserFactory())
    assert not Receipt.objects.exists()


def test_receipt_numbers_follow_per_caf_and_per_year():
    loire, bdr = CafFactory(code="421"), CafFactory(code="131")
    first, second, other = (to_approve(activite_of(caf)) for caf in (loire, loire, bdr))
    for declaration in (first, second, other):
        services.transmit(declaration, UserFactory())
    assert [r.reference for r in Receipt.objects.order_by("pk")] == [
        "AR-2026-421-000001",
        "AR-2026-421-000002",
        "AR-2026-131-000001",
    ]
    with time_machine.travel(datetime.datetime(2027, 1, 4, 9, tzinfo=ZoneInfo("Europe/Paris"))):
        services.transmit(to_approve(activite_of(loire)), UserFactory())
    assert Receipt.objects.latest("pk").reference == "AR-2027-421-000001"


def test_a_new_transmission_after_a_return_gives_a_new_receipt_and_the_first_keeps_what_was_sent():
    declaration = to_approve()
    approbateur, agent = UserFactory(), UserFactory(caf_agent=True)
    services.transmit(declaration, approbateur)
    services.return_for_correction(declaration, agent, "Les heures facturées sont fausses", services.CAF)
    part = declaration.activity_data.get()
    services.save_part(part, activity(heures_facturees=49000), {}, part.version, UserFactory())
    FinancialData.objects.filter(declaration=declaration).update(complete=True)
    declaration.activity_data.update(complete=True)
    declaration.state = State.EN_COURS
    services.transition(declaration, State.A_APPROUVER, approbateur, services.PROVIDER)
    services.transmit(declaration, approbateur)

    first, second = receipt_of(declaration, 1), receipt_of(declaration, 2)
    assert first.number + 1 == second.number
    assert receipt_of(declaration, 3) is None and receipt_of(declaration, 0) is None

    def facturees(receipt):
        return {row["code"]: row["shown"] for row in receipt.figures["parts"][0]["rows"]}["heures_facturees"]

    assert facturees(first) == "52\u202f000,00\u00a0h"
    assert facturees(second) == "49\u202f000,00\u00a0h"
    assert "52\u202f000,00\u00a0h" in pdf_text(receipt_pdf(first))


def pdf_text(pdf):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def embedded_fonts(reader):
    """(name, has a font file) of every font the pages use."""
    fonts = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            else:
                descriptor = font["/FontDescriptor"]
            fonts.append((font["/BaseFont"], any(key in descriptor for key in ("/FontFile2", "/FontFile3"))))
    return fonts


def test_receipt_pdf_is_tagged_in_french_with_its_fonts_embedded():
    receipt = ReceiptFactory(
        declaration__activite__nom="Extra Assoc",
        transmitted_by=UserFactory(prenom="Agnès", nom="DURAND"),
        transmitted_at=datetime.datetime(2026, 3, 14, 15, 9, tzinfo=ZoneInfo("Europe/Paris")),
    )
    reader = PdfReader(io.BytesIO(receipt_pdf(receipt)))
    root = reader.trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] == BooleanObject(True)
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "fr-FR"
    assert reader.metadata.title == f"Accusé de réception {receipt.reference}"
    fonts = embedded_fonts(reader)
    assert fonts and all(embedded for _, embedded in fonts), fonts
    text = pdf_text(receipt_pdf(receipt))
    assert receipt.reference in text
    assert "Agnès DURAND" in text
    assert "14 mars 2026 à 15h09" in text
    assert "Extra Assoc" in text
    assert "Total des charges 100\u202f000,00 €" in text.replace("\u00a0", " ")
    assert "Heures facturées 52\u202f000,00 h" in text.replace("\u00a0", " ")
    assert "établi après coup" not in text


def test_declarations_transmitted_before_receipts_get_one_from_their_history():
    """The data migration: the last transmission of a declaration still transmitted or validated."""
    migration = importlib.import_module("afas.migrations.0014_transmission_receipts")
    caf = CafFactory(code="421")
    validated = DeclarationFactory(
        activite=activite_of(caf), state=State.VALIDEE, values=activity(), financial=financial()
    )
    approbateur = UserFactory(prenom="Claire", nom="BERNARD")
    at = datetime.datetime(2026, 2, 14, 10, tzinfo=ZoneInfo("Europe/Paris"))
    StateChange.objects.create(
        declaration=validated, from_state=State.A_APPROUVER, to_state=State.TRANSMISE, by=approbateur, at=at
    )
    returned = DeclarationFactory(activite=activite_of(caf), state=State.A_CORRIGER)
    StateChange.objects.create(
        declaration=returned, from_state=State.A_APPROUVER, to_state=State.TRANSMISE, by=approbateur, at=at
    )
    migration.receipts_of_earlier_transmissions(apps, None)
    receipt = Receipt.objects.get()  # none for the declaration returned since: its figures were not kept
    assert receipt.declaration == validated and receipt.reference == "AR-2026-421-000001"
    assert receipt.transmitted_by_name == "Claire BERNARD" and receipt.transmitted_at == at
    assert receipt.rebuilt
    assert "établi après coup" in pdf_text(receipt_pdf(receipt))
