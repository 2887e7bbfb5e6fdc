"""A declaration from « Accueil AFAS » to « Validée par la Caf », as the deck's users would do it."""

from pathlib import Path

import pytest

from accounts.models import User
from afas.declarations import services
from afas.models import Declaration, FinancialData, State
from tests.accounts.factories import UserFactory
from tests.afas.declarations_data import ACTIVITY, FINANCIAL, activity, financial
from tests.afas.factories import ActiviteFactory, DeclarationFactory, HabilitationFactory
from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def declaration():
    activite = ActiviteFactory(nom="Acc Ados Assoc")
    jean = UserFactory(
        identifiant="123456789", prenom="Jean", nom="DUBOIS", organisme=activite.organisme, declarant=True
    )
    claire = UserFactory(
        identifiant="100000001", prenom="Claire", nom="BERNARD", organisme=activite.organisme, declarant=True
    )
    HabilitationFactory(user=jean, activite=activite)
    HabilitationFactory(user=jean, activite=activite, financial=True)
    HabilitationFactory(user=claire, activite=activite, validated=True)
    DeclarationFactory(
        activite=activite, exercice=2024, state=State.VALIDEE, values=activity(), financial=financial()
    )
    return DeclarationFactory(activite=activite, exercice=2025)


def click(page, locator):
    locator.click()
    page.wait_for_load_state()
    assert_accessible(page)


def fill_part(section, values):
    for field, value in values.items():
        section.get_by_label(field, exact=True).fill(value)


LABELS = {
    "jours_ouverture": "Jours d'ouverture",
    "heures_ouverture_jour": "Heures d'ouverture par jour",
    "capacite": "Capacité (places)",
    "inscrits_moins_6": "Enfants inscrits de moins de 6 ans",
    "inscrits_6_plus": "Enfants inscrits de 6 ans et plus",
    "heures_realisees_moins_6": "Heures réalisées moins de 6 ans",
    "heures_realisees_6_plus": "Heures réalisées 6 ans et plus",
    "heures_facturees": "Heures facturées",
    "c60": "60 — Achats",
    "c61_62": "61-62 — Services extérieurs",
    "c63": "63 — Impôts et taxes",
    "c64": "64 — Charges de personnel",
    "c65_68": "65 à 68 — Autres charges",
    "c86": "86 — Contributions volontaires en nature",
    "p70": "70 — Participations des familles",
    "p74_caf": "74 — Subvention Caf (prestation de service)",
    "p74_commune": "74 — Subvention de la commune",
    "p74_autres": "74 — Autres subventions",
    "p75_78": "75 à 78 — Autres produits",
    "p87": "87 — Contributions volontaires en nature",
}


def labelled(values):
    return {LABELS[code]: value for code, value in values.items()}


def test_declare_approve_transmit_and_see_it_validated(page, visit, sign_in, declaration):
    sign_in("123456789")
    visit("/afas/accueil/")
    click(page, page.get_by_role("link", name="Déclarer : Réel 2025 Acc Ados Assoc"))
    assert "Déclaration Réel 2025 — Acc Ados Assoc".upper() in page.inner_text("h1").upper()

    activity_part = page.locator("section.afas-part").first
    fill_part(activity_part, labelled({**ACTIVITY, "heures_realisees_6_plus": "70000"}))  # 90 000 h > 80 000
    click(page, activity_part.get_by_role("button", name="Marquer comme complet"))
    assert "dépassent la capacité théorique" in page.content()
    assert "n'est pas complète" in page.inner_text("main")

    activity_part = page.locator("section.afas-part").first
    activity_part.get_by_label("Heures réalisées 6 ans et plus", exact=True).fill("50000")  # 70 000 h: +40 %
    click(page, activity_part.get_by_role("button", name="Marquer comme complet"))
    assert "Le nombre d'heures réalisées varie de +40,0 %" in page.inner_text("main")
    activity_part = page.locator("section.afas-part").first
    activity_part.get_by_label("Justification de l'écart").fill("Ouverture d'un second groupe en juillet.")
    click(page, activity_part.get_by_role("button", name="Marquer comme complet"))
    assert "La partie est marquée comme complète." in page.inner_text("main")

    financial_part = page.locator("section.afas-part").nth(1)
    fill_part(financial_part, labelled(FINANCIAL))
    click(page, financial_part.get_by_role("button", name="Marquer comme complet"))
    assert "Le prix de revient horaire varie de -28,6 %" in page.inner_text("main")
    assert "1,43\u00a0€" in page.inner_text("main")  # 100 000 € ÷ 70 000 h, computed
    financial_part = page.locator("section.afas-part").nth(1)
    financial_part.get_by_label("Justification de l'écart").fill("Plus d'heures pour le même budget.")
    click(page, financial_part.get_by_role("button", name="Marquer comme complet"))
    assert "la déclaration est « À approuver »" in page.inner_text("main")

    click(page, page.get_by_role("button", name="Déconnexion"))
    sign_in("100000001")
    visit("/afas/accueil/")
    click(page, page.get_by_role("link", name="Transmettre à la Caf : Réel 2025 Acc Ados Assoc"))
    assert "Récapitulatif" in page.inner_text("main")
    assert "Ouverture d'un second groupe en juillet." in page.inner_text("main")
    click(page, page.get_by_role("button", name="Confirmer la transmission à la Caf"))
    assert "La déclaration est transmise à la Caf" in page.inner_text("main")

    declaration = Declaration.objects.get(pk=declaration.pk)
    assert declaration.state == State.TRANSMISE
    services.validate(declaration, UserFactory(caf_agent=True, caf=declaration.activite.organisme.caf))

    click(page, page.get_by_role("button", name="Déconnexion"))
    sign_in("123456789")
    visit("/afas/declarations/")
    page.get_by_label("Exercice de la déclaration").select_option("2025")
    click(page, page.get_by_role("button", name="Rechercher"))
    row = page.get_by_role("row").filter(has_text="Acc Ados Assoc")
    assert "Validée par la Caf" in row.inner_text()


def test_statistics_page_is_accessible(page, visit, sign_in, declaration):
    sign_in("123456789")
    visit("/afas/statistiques/")
    assert "Prix de revient horaire" in page.inner_text("main")
    visit("/afas/accueil/guide-utilisateur/")
    visit("/afas/accueil/tutoriel/")


def test_approbateur_returns_for_correction_and_the_provider_sees_why(page, visit, sign_in, declaration):
    Declaration.objects.filter(pk=declaration.pk).update(state=State.A_APPROUVER)
    sign_in("100000001")
    visit(f"/afas/declarations/{declaration.pk}/")
    click(page, page.get_by_role("link", name="Retourner pour correction"))
    click(page, page.get_by_role("button", name="Retourner pour correction"))
    assert "Le commentaire est obligatoire" in page.inner_text("main")
    page.get_by_label("Commentaire").fill("Les heures facturées du mois d'août manquent.")
    click(page, page.get_by_role("button", name="Retourner pour correction"))
    assert "À corriger" in page.inner_text("main")

    click(page, page.get_by_role("button", name="Déconnexion"))
    sign_in("123456789")
    visit("/afas/declarations/")
    assert "Merci de sélectionner des critères de recherche" in page.inner_text("main")
    page.get_by_label("État de la déclaration").select_option(label="À corriger")
    click(page, page.get_by_role("button", name="Rechercher"))
    click(page, page.get_by_role("link", name="Saisir : Réel 2025 Acc Ados Assoc"))
    assert "Les heures facturées du mois d'août manquent." in page.inner_text("main")


def test_lists_and_history_scroll_within_the_page_on_a_phone(page, visit, sign_in, declaration):
    jean = User.objects.get(identifiant="123456789")
    services.save_part(declaration.activity_data.get(), activity(), {}, 0, jean)  # a line of history
    page.set_viewport_size({"width": 320, "height": 800})  # WCAG 1.4.10 reflow width
    sign_in("123456789")
    for path in (
        "/afas/accueil/",
        "/afas/declarations/?rechercher=",
        f"/afas/declarations/{declaration.pk}/",
    ):
        visit(path)
        # The visually hidden texts of the action links must not widen the page beyond the screen.
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
    # Read-only (no input to tab to): a table wider than the screen still scrolls with the keyboard (axe).
    Declaration.objects.filter(pk=declaration.pk).update(state=State.TRANSMISE)
    visit(f"/afas/declarations/{declaration.pk}/")


def test_french_numbers_are_accepted_and_a_dotted_one_is_explained(page, visit, sign_in, declaration):
    sign_in("123456789")
    visit(f"/afas/declarations/{declaration.pk}/")
    activity_part = page.locator("section.afas-part").first
    fill_part(
        activity_part,
        labelled(
            {
                **ACTIVITY,
                "heures_facturees": "52\u202f000,5",
                "heures_realisees_6_plus": "30 000",
                "capacite": "40",
            }
        ),
    )
    activity_part.get_by_label("Heures d'ouverture par jour", exact=True).fill("9.5")
    click(page, activity_part.get_by_role("button", name="Enregistrer le brouillon"))
    assert "Votre saisie est enregistrée" in page.inner_text("main")

    activity_part = page.locator("section.afas-part").first
    hours = activity_part.get_by_label("Heures d'ouverture par jour", exact=True)
    assert hours.input_value() == "9.5"  # kept as typed
    assert hours.get_attribute("aria-invalid") == "true"
    error = page.locator(f"#{hours.get_attribute('aria-describedby')}")
    assert "saisissez 9,5 et non 9.5" in error.inner_text()
    facturees = activity_part.get_by_label("Heures facturées", exact=True)
    assert facturees.input_value() == "52\u202f000,5" and facturees.get_attribute("aria-invalid") is None
    part = Declaration.objects.get(pk=declaration.pk).activity_data.get()
    assert part.values["heures_facturees"] == "52000.5" and part.rejected == {"heures_ouverture_jour": "9.5"}

    hours.fill("9,5")
    click(page, activity_part.get_by_role("button", name="Enregistrer le brouillon"))
    activity_part = page.locator("section.afas-part").first
    assert (
        activity_part.get_by_label("Heures d'ouverture par jour", exact=True).get_attribute("aria-invalid")
        is None
    )
    assert (
        Declaration.objects.get(pk=declaration.pk).activity_data.get().values["heures_ouverture_jour"]
        == "9.5"
    )


def test_caf_agent_validates_after_reading_the_recap(page, visit, declaration):
    Declaration.objects.filter(pk=declaration.pk).update(state=State.TRANSMISE)
    declaration.activity_data.update(
        values=activity(heures_realisees_6_plus="50000"),
        justifications={"heures_realisees": "Second groupe."},
    )
    declaration.financial_data.__class__.objects.filter(declaration=declaration).update(
        values=financial(), justifications={"prix_revient_horaire": "Même budget."}
    )
    UserFactory(caf_agent=True, caf=declaration.activite.organisme.caf, identifiant="agent.loire")
    page.goto("/back-office/login/")
    page.locator("#id_username").fill("agent.loire")
    page.locator("#id_password").fill("Portail-Demo-2026!")
    page.locator("input[type=submit]").click()
    page.wait_for_load_state()
    visit(f"/back-office/afas/declaration/{declaration.pk}/change/")
    click(page, page.get_by_role("link", name="Valider…"))
    main = page.inner_text("#content")
    assert "2 alertes justifiées" in main and "Second groupe." in main and "Même budget." in main
    assert "70\u202f000,00\u00a0h" in main and "50\u202f000,00\u00a0h" in main  # this one, the previous one
    assert Declaration.objects.get(pk=declaration.pk).state == State.TRANSMISE
    click(page, page.get_by_role("button", name="Confirmer la validation"))
    assert "La déclaration est validée par la Caf." in page.inner_text("body")
    assert Declaration.objects.get(pk=declaration.pk).state == State.VALIDEE
    page.goto("/")


def test_approbateur_transmits_and_downloads_the_receipt(page, visit, sign_in, declaration):
    declaration.activity_data.update(values=activity(), complete=True)
    FinancialData.objects.filter(declaration=declaration).update(values=financial(), complete=True)
    Declaration.objects.filter(pk=declaration.pk).update(state=State.A_APPROUVER)
    sign_in("100000001")
    visit(f"/afas/declarations/{declaration.pk}/")
    click(page, page.get_by_role("link", name="Transmettre à la Caf"))
    click(page, page.get_by_role("button", name="Confirmer la transmission à la Caf"))
    reference = declaration.receipts.get().reference
    link = page.get_by_role("link", name=f"Télécharger l'accusé de réception {reference}")
    assert "Claire BERNARD" in page.locator("#accuses-de-reception").locator("..").inner_text()
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == f"accuse-de-reception-{reference}.pdf"
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")
