import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertInHTML

from afas.models import ActivityData, State
from conventions.models import HabilitationGroup
from conventions.services import close_membership
from tests.accounts.factories import UserFactory
from tests.afas.factories import ActiviteFactory, DeclarationFactory, HabilitationFactory, LieuFactory
from tests.conventions.factories import MembershipFactory

from .declarations_data import activity, financial

pytestmark = pytest.mark.django_db


@pytest.fixture
def declaration():
    activite = ActiviteFactory(nom="Péri Assoc")
    return DeclarationFactory(activite=activite)


def profile(name, declaration):
    """A user of each kind, against the declaration's activité."""
    activite = declaration.activite
    if name == "anonymous":
        return None
    if name == "fr_da":
        return HabilitationFactory(activite=activite).user
    if name == "fr_df":
        return HabilitationFactory(activite=activite, financial=True).user
    if name == "approbateur":
        return HabilitationFactory(activite=activite, validated=True).user
    if name == "pending_approbateur":
        return HabilitationFactory(activite=activite, approbateur=True).user
    if name == "ended_fr_da":
        return HabilitationFactory(activite=activite, ended=True).user
    if name == "other_activite":
        return HabilitationFactory(activite=ActiviteFactory(organisme=activite.organisme)).user
    if name == "other_partner":
        return HabilitationFactory(validated=True).user
    if name == "partner_admin":
        return UserFactory(organisme=activite.organisme, partner_admin=True, declarant=True)
    if name == "caf_agent":
        return UserFactory(caf_agent=True, caf=activite.organisme.caf)
    raise AssertionError(name)


DETAIL_STATUS = {
    "anonymous": 302,
    "fr_da": 200,
    "fr_df": 200,
    "approbateur": 200,
    "pending_approbateur": 404,
    "ended_fr_da": 404,
    "other_activite": 404,
    "other_partner": 404,
    "partner_admin": 404,
    "caf_agent": 404,
}


@pytest.mark.parametrize(("name", "status"), DETAIL_STATUS.items())
def test_declaration_page_permission_matrix(client, declaration, name, status):
    user = profile(name, declaration)
    if user:
        client.force_login(user)
    response = client.get(reverse("afas:declaration", args=[declaration.pk]))
    assert response.status_code == status
    if status != 200:
        assert "Péri Assoc" not in response.content.decode()


@pytest.mark.parametrize(
    ("name", "activity_status", "financial_status"),
    [
        ("fr_da", 302, 404),
        ("fr_df", 404, 302),
        ("approbateur", 404, 404),
        ("ended_fr_da", 404, 404),
        ("other_partner", 404, 404),
    ],
)
def test_each_part_is_saved_only_by_its_provider(
    client, declaration, name, activity_status, financial_status
):
    client.force_login(profile(name, declaration))
    part = declaration.activity_data.get()
    response = client.post(
        reverse("afas:declaration_activity", args=[declaration.pk, part.pk]),
        {f"a{part.pk}-capacite": "12", f"a{part.pk}-version": "0"},
    )
    assert response.status_code == activity_status
    fin = declaration.financial_data
    response = client.post(
        reverse("afas:declaration_financial", args=[declaration.pk]),
        {f"f{fin.pk}-c60": "5", f"f{fin.pk}-version": "0"},
    )
    assert response.status_code == financial_status


def test_fr_da_on_a_lieu_edits_only_that_lieu(client):
    activite = ActiviteFactory()
    site, ecoles = (
        LieuFactory(activite=activite, nom="Site"),
        LieuFactory(activite=activite, nom="Site Ecoles"),
    )
    declaration = DeclarationFactory(activite=activite)
    user = HabilitationFactory(activite=activite, lieu=site).user
    client.force_login(user)
    own, other = (ActivityData.objects.get(declaration=declaration, lieu=lieu) for lieu in (site, ecoles))
    url = reverse("afas:declaration_activity", args=[declaration.pk, other.pk])
    assert client.post(url, {f"a{other.pk}-capacite": "1", f"a{other.pk}-version": "0"}).status_code == 404
    url = reverse("afas:declaration_activity", args=[declaration.pk, own.pk])
    assert client.post(url, {f"a{own.pk}-capacite": "1", f"a{own.pk}-version": "0"}).status_code == 302
    page = client.get(reverse("afas:declaration", args=[declaration.pk])).content.decode()
    assert page.count("Marquer comme complet") == 1


def test_global_fr_da_edits_every_lieu(client):
    activite = ActiviteFactory()
    LieuFactory.create_batch(2, activite=activite)
    declaration = DeclarationFactory(activite=activite)
    client.force_login(HabilitationFactory(activite=activite).user)
    page = client.get(reverse("afas:declaration", args=[declaration.pk])).content.decode()
    assert page.count("Marquer comme complet") == 2


def test_draft_with_invalid_values_is_kept_and_errors_shown_next_to_fields(client, declaration):
    client.force_login(profile("fr_da", declaration))
    part = declaration.activity_data.get()
    data = {f"a{part.pk}-{k}": v for k, v in activity(capacite="-2", jours_ouverture="deux cents").items()}
    data[f"a{part.pk}-version"] = "0"
    response = client.post(
        reverse("afas:declaration_activity", args=[declaration.pk, part.pk]), data, follow=True
    )
    page = response.content.decode()
    assert "Votre saisie est enregistrée" in page
    assert 'value="deux cents"' in page and 'value="-2"' in page
    assert "Le nombre ne peut pas être négatif." in page
    assert "Saisissez un nombre" in page
    assert "En cours de saisie" in page


def test_complete_refused_with_blocking_error(client, declaration):
    client.force_login(profile("fr_da", declaration))
    part = declaration.activity_data.get()
    data = {f"a{part.pk}-{k}": v for k, v in activity(heures_realisees_6_plus="99999").items()}
    data.update({f"a{part.pk}-version": "0", "complete": "1"})
    response = client.post(
        reverse("afas:declaration_activity", args=[declaration.pk, part.pk]), data, follow=True
    )
    (refused,) = [str(m) for m in response.context["messages"]]
    assert "la partie n'est pas complète" in refused
    assertContains(response, refused, html=True)
    assertContains(response, "dépassent la capacité théorique")
    part.refresh_from_db()
    assert not part.complete


def test_concurrent_save_is_refused_and_input_kept_on_screen(client, declaration):
    user = profile("fr_da", declaration)
    client.force_login(user)
    part = declaration.activity_data.get()
    url = reverse("afas:declaration_activity", args=[declaration.pk, part.pk])
    client.post(url, {f"a{part.pk}-capacite": "41", f"a{part.pk}-version": "0"})
    response = client.post(url, {f"a{part.pk}-capacite": "77", f"a{part.pk}-version": "0"})
    # Redirect-after-post: reloading the answer asks for a page, it never posts the refused save again.
    assert response.status_code == 302 and "?saisie=" in response.url
    for _ in range(2):  # the page, then the same page reloaded
        page = client.get(response.url).content.decode()
        assert "Votre saisie n'a pas été enregistrée" in page
        assert 'value="77"' in page  # the refused input stays on screen
        assert f'name="a{part.pk}-version" value="1"' in page  # a new save is possible, on purpose
    part.refresh_from_db()
    assert part.values["capacite"] == "41"
    plain = client.get(reverse("afas:declaration", args=[declaration.pk])).content.decode()
    assert 'value="77"' not in plain and "Votre saisie n'a pas été enregistrée" not in plain


def test_a_refused_save_is_shown_only_on_its_own_declaration(client, declaration):
    user = profile("fr_da", declaration)
    client.force_login(user)
    part = declaration.activity_data.get()
    url = reverse("afas:declaration_activity", args=[declaration.pk, part.pk])
    client.post(url, {f"a{part.pk}-capacite": "41", f"a{part.pk}-version": "0"})
    token = client.post(url, {f"a{part.pk}-capacite": "77", f"a{part.pk}-version": "0"}).url.split("saisie=")[
        1
    ]
    other = DeclarationFactory(activite=declaration.activite, exercice=declaration.exercice - 1)
    page = client.get(reverse("afas:declaration", args=[other.pk]), {"saisie": token.split("#")[0]})
    assert page.status_code == 200 and 'value="77"' not in page.content.decode()


def test_computed_figures_and_previous_declaration_side_by_side(client, declaration):
    DeclarationFactory(
        activite=declaration.activite,
        exercice=2024,
        state=State.VALIDEE,
        values=activity(),
        financial=financial(),
    )
    ActivityData.objects.filter(declaration=declaration).update(values=activity(), version=1)
    declaration.financial_data.__class__.objects.filter(pk=declaration.financial_data.pk).update(
        values=financial(c64="90000"), version=1
    )
    client.force_login(profile("approbateur", declaration))
    page = client.get(reverse("afas:declaration", args=[declaration.pk])).content.decode()
    assert "Réel 2024" in page
    assert "110\u202f000,00\u00a0€" in page  # total des charges, computed
    assert "2,20\u00a0€" in page and "2,00\u00a0€" in page  # prix de revient, this one and the previous one
    assert "Marquer comme complet" not in page  # the approbateur does not enter data


def test_approbateur_transmits_after_summary_and_confirmation(client, declaration):
    declaration.state = State.A_APPROUVER
    declaration.save()
    client.force_login(profile("approbateur", declaration))
    url = reverse("afas:declaration_transmit", args=[declaration.pk])
    page = client.get(url).content.decode()
    assert "Récapitulatif" in page and "Confirmer la transmission à la Caf" in page
    declaration.refresh_from_db()
    assert declaration.state == State.A_APPROUVER
    response = client.post(url, follow=True)
    assert "Transmise à la Caf" in response.content.decode()
    declaration.refresh_from_db()
    assert declaration.state == State.TRANSMISE


@pytest.mark.parametrize("name", ["fr_da", "fr_df", "pending_approbateur", "other_partner"])
def test_only_the_approbateur_transmits_or_returns(client, declaration, name):
    declaration.state = State.A_APPROUVER
    declaration.save()
    client.force_login(profile(name, declaration))
    assert client.post(reverse("afas:declaration_transmit", args=[declaration.pk])).status_code == 404
    assert (
        client.post(reverse("afas:declaration_return", args=[declaration.pk]), {"comment": "x"}).status_code
        == 404
    )
    declaration.refresh_from_db()
    assert declaration.state == State.A_APPROUVER


def test_return_for_correction_requires_a_comment(client, declaration):
    declaration.state = State.A_APPROUVER
    declaration.save()
    client.force_login(profile("approbateur", declaration))
    url = reverse("afas:declaration_return", args=[declaration.pk])
    page = client.post(url, {"comment": ""}).content.decode()
    assert "Le commentaire est obligatoire" in page
    client.post(url, {"comment": "Les heures facturées manquent"})
    declaration.refresh_from_db()
    assert declaration.state == State.A_CORRIGER
    page = client.get(reverse("afas:declaration", args=[declaration.pk])).content.decode()
    assert "Les heures facturées manquent" in page


def test_transmitted_declaration_is_read_only(client, declaration):
    declaration.state = State.TRANSMISE
    declaration.save()
    client.force_login(profile("fr_da", declaration))
    page = client.get(reverse("afas:declaration", args=[declaration.pk])).content.decode()
    assert "lecture seule" in page and "Marquer comme complet" not in page


def test_empty_fields_are_flagged_only_when_completing(client, declaration):
    client.force_login(profile("fr_df", declaration))
    fin = declaration.financial_data
    url = reverse("afas:declaration_financial", args=[declaration.pk])
    page = client.post(
        url, {f"f{fin.pk}-c60": "100", f"f{fin.pk}-version": "0"}, follow=True
    ).content.decode()
    assert "Ce champ est obligatoire" not in page
    data = {f"f{fin.pk}-c60": "100", f"f{fin.pk}-version": "1", "complete": "1"}
    page = client.post(url, data, follow=True).content.decode()
    assert page.count("Ce champ est obligatoire") == 11


def test_fr_da_on_the_single_lieu_enters_the_activite_part(client):
    activite = ActiviteFactory()
    lieu = LieuFactory(activite=activite)
    declaration = DeclarationFactory(activite=activite)
    client.force_login(HabilitationFactory(activite=activite, lieu=lieu).user)
    part = declaration.activity_data.get()
    assert part.lieu is None
    url = reverse("afas:declaration_activity", args=[declaration.pk, part.pk])
    assert client.post(url, {f"a{part.pk}-capacite": "1", f"a{part.pk}-version": "0"}).status_code == 302


@pytest.mark.parametrize("url_name", ["afas:declaration_transmit", "afas:declaration_return"])
def test_approbateur_pages_keep_the_afas_breadcrumb(client, declaration, url_name):
    declaration.state = State.A_APPROUVER
    declaration.save()
    client.force_login(profile("approbateur", declaration))
    page = client.get(reverse(url_name, args=[declaration.pk])).content.decode()
    breadcrumb = page.split('class="breadcrumb"')[1].split("</ol>")[0]
    assertInHTML("Aides financières d'action sociale", breadcrumb)
    assertInHTML("Mes déclarations", breadcrumb)


def test_save_refused_once_out_of_the_partners_hands_keeps_the_input_on_screen(client, declaration):
    # The other provider completed the last part (or the approbateur transmitted) while this one was typing.
    user = profile("fr_da", declaration)
    client.force_login(user)
    part = declaration.activity_data.get()
    declaration.state = State.A_APPROUVER
    declaration.save()
    url = reverse("afas:declaration_activity", args=[declaration.pk, part.pk])
    response = client.post(url, {f"a{part.pk}-capacite": "77", f"a{part.pk}-version": "0"})
    assert response.status_code == 302
    page = client.get(response.url)
    (refused,) = [str(m) for m in page.context["messages"]]
    assert "elle n'est plus modifiable" in refused and "Votre saisie n'a pas été enregistrée" in refused
    assertContains(page, refused, html=True)
    assertContains(page, "Votre saisie (non enregistrée)", html=True)
    assertContains(page, "<td>77</td>", html=True)
    part.refresh_from_db()
    assert part.values.get("capacite", "") != "77"


def test_french_numbers_are_stored_normalised_and_the_rest_refused_next_to_the_field(client, declaration):
    client.force_login(profile("fr_df", declaration))
    part = declaration.financial_data
    typed = financial(
        c60="10\u202f000,50", c61_62="5 000", c63="1e3", c64="80000.5", c65_68="\uff12\uff10\uff10\uff10"
    )
    data = {f"f{part.pk}-{code}": value for code, value in typed.items()}
    data.update({f"f{part.pk}-version": "0", "complete": "1"})
    response = client.post(reverse("afas:declaration_financial", args=[declaration.pk]), data, follow=True)
    part.refresh_from_db()
    assert not part.complete
    assert part.values["c60"] == "10000.50" and part.values["c61_62"] == "5000"
    assert part.rejected == {"c63": "1e3", "c64": "80000.5", "c65_68": "\uff12\uff10\uff10\uff10"}
    page = response.content.decode()
    assert 'value="10\u202f000,50"' in page  # shown back the French way
    assert 'value="1e3"' in page and 'value="80000.5"' in page  # nothing typed is lost
    assert "saisissez 80000,5 et non 80000.5" in page
    assert page.count("Saisissez un nombre en chiffres") >= 2


def test_charges_above_the_ceiling_cannot_be_completed(client, declaration):
    client.force_login(profile("fr_df", declaration))
    part = declaration.financial_data
    typed = financial(c64="99 999 999 999 999 999 999")
    data = {f"f{part.pk}-{code}": value for code, value in typed.items()}
    data.update({f"f{part.pk}-version": "0", "complete": "1"})
    page = client.post(
        reverse("afas:declaration_financial", args=[declaration.pk]), data, follow=True
    ).content.decode()
    assert "Ce nombre est bien trop grand" in page
    part.refresh_from_db()
    assert not part.complete


def test_previous_figures_are_shown_formatted(client, declaration):
    DeclarationFactory(
        activite=declaration.activite,
        exercice=2024,
        state=State.VALIDEE,
        values=activity(),
        financial=financial(),
    )
    client.force_login(profile("approbateur", declaration))
    page = client.get(reverse("afas:declaration", args=[declaration.pk])).content.decode()
    assert "30\u202f000,00\u00a0h" in page  # heures réalisées 6 ans et plus, previous declaration
    assert "80\u202f000,00\u00a0€" in page  # charges de personnel, previous declaration


def test_a_too_long_justification_is_refused_next_to_it_and_kept(client, declaration):
    DeclarationFactory(
        activite=declaration.activite,
        exercice=2024,
        state=State.VALIDEE,
        values=activity(),
        financial=financial(),
    )
    client.force_login(profile("fr_da", declaration))
    part = declaration.activity_data.get()
    url = reverse("afas:declaration_activity", args=[declaration.pk, part.pk])
    data = {f"a{part.pk}-{k}": v for k, v in activity(heures_realisees_6_plus="45000").items()}
    client.post(url, {**data, f"a{part.pk}-version": "0"})
    text = "Ouverture d'un second site. " * 40  # 1 120 characters
    data.update(
        {f"a{part.pk}-version": "1", f"a{part.pk}-justification_heures_realisees": text, "complete": "1"}
    )
    page = client.post(url, data, follow=True).content.decode()
    assert (
        "La justification ne peut pas dépasser 1\u202f000 caractères (vous en avez saisi 1\u202f119)" in page
    )
    part.refresh_from_db()
    assert not part.complete and part.justifications["heures_realisees"] == text.strip()


@pytest.mark.parametrize("lieux", [1, 5])
def test_the_declaration_page_runs_a_constant_number_of_queries(client, django_assert_num_queries, lieux):
    activite = ActiviteFactory(nom="Péri Assoc")
    for _ in range(lieux - 1):
        LieuFactory(activite=activite)
    declaration = DeclarationFactory(activite=activite)
    for exercice in (2022, 2023, 2024):  # earlier declarations: only the latest one's data is read
        DeclarationFactory(activite=activite, exercice=exercice, state=State.VALIDEE, values=activity())
    client.force_login(profile("approbateur", declaration))
    url = reverse("afas:declaration", args=[declaration.pk])
    client.get(url)
    # the session; the declaration joined to its financial part, its activity parts, the previous
    # declaration joined to its financial and activity parts, the state changes = 5 (no receipts read: never
    # transmitted), and no savepoint: the page only reads, outside a transaction of the request
    # (ATOMIC_REQUESTS); the user, the rights and the habilitations in force from the cache.
    with django_assert_num_queries(5):
        response = client.get(url)
    previous = response.context["previous"]
    assert (previous.exercice, previous.get_type_display(), previous.get_state_display()) == (
        2024,
        "Réel",
        "Validée par la Caf",
    )
    assert len(response.context["activity_blocks"]) == declaration.activity_data.count()
    for block in response.context["activity_blocks"]:  # each lieu against its own previous part
        assert [row["previous"] for row in block.rows if row["previous"]]


def test_the_habilitations_in_force_follow_the_declarers_membership_at_the_next_request(client, declaration):
    """The user's habilitations in force are read with their cached rights (Habilitation.objects.in_force_for):
    closing their AFAS-DECLARER membership takes the declaration away at the next request (rule 6), a new
    membership gives it back."""
    user = profile("fr_da", declaration)
    client.force_login(user)
    url = reverse("afas:declaration", args=[declaration.pk])
    assert client.get(url).status_code == 200

    close_membership(user.memberships.get(group__code=HabilitationGroup.DECLARER), by=None)
    assert client.get(url).status_code == 404

    MembershipFactory(user=user)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize("lieux", [1, 5])
def test_a_draft_save_runs_a_constant_number_of_queries(client, django_assert_num_queries, lieux):
    activite = ActiviteFactory(nom="Péri Assoc")
    for _ in range(lieux - 1):
        LieuFactory(activite=activite)
    declaration = DeclarationFactory(activite=activite, state=State.EN_COURS)
    for exercice in (2022, 2023, 2024):  # earlier declarations: only the latest one's part is read
        DeclarationFactory(activite=activite, exercice=exercice, state=State.VALIDEE, values=activity())
    client.force_login(profile("fr_da", declaration))
    part = declaration.activity_data.order_by("pk").first()
    url = reverse("afas:declaration_activity", args=[declaration.pk, part.pk])
    client.post(url, {f"a{part.pk}-capacite": "41", f"a{part.pk}-version": "0"})
    # the session; the part joined to its declaration, the same lieu's part in the previous declaration (its
    # alerts), the declaration locked, the part's UPDATE = 5, plus the two savepoints of services.save_part's
    # transaction (nested in the test's; in production its BEGIN and COMMIT); the request itself not atomic
    # (no savepoints of its own), the part and the state not read back; the user, the rights and the
    # habilitations in force from the cache.
    with django_assert_num_queries(7):
        response = client.post(url, {f"a{part.pk}-capacite": "42", f"a{part.pk}-version": "1"})
    assert response.status_code == 302 and "?saisie=" not in response.url
    part.refresh_from_db()
    assert (part.values["capacite"], part.version) == ("42", 2)
