"""« Revue des habilitations », the partner administrator's pages (issue 14, rule 20)."""

from html import unescape

import pytest
from django.urls import reverse

from afas.models import Habilitation, Outcome, ReviewDecision
from tests.accounts.factories import UserFactory
from tests.afas.factories import AccessReviewFactory, HabilitationFactory
from tests.clock import TODAY, on_today

pytestmark = on_today


@pytest.fixture
def review(organisme):
    return AccessReviewFactory(organisme=organisme)


@pytest.fixture
def habilitation(activite, declarant):
    return HabilitationFactory(activite=activite, user=declarant)


@pytest.fixture
def signed_in(client, manager):
    client.force_login(manager)
    return client


def page_of(response):
    return unescape(response.content.decode())


def test_the_review_lists_each_line_with_a_checkbox(signed_in, review, habilitation):
    page = page_of(signed_in.get(reverse("afas:review", args=[review.pk])))
    assert "DUBOIS Jean" in page or "Jean DUBOIS" in page
    assert "Habilitation Fournisseur de données d'activité — Péri Assoc" in page
    assert "Groupe AFAS-DEC - AFAS Déclarer" in page
    assert f'name="line" value="h-{habilitation.pk}"' in page
    # the declarant's habilitation and AFAS-DECLARER, the manager's AFAS-HABILITER
    assert page.count("À revoir") == 3


def test_bulk_confirm_is_one_post_of_checkboxes(signed_in, review, habilitation, declarant):
    membership = declarant.memberships.get()
    response = signed_in.post(
        reverse("afas:review_confirm", args=[review.pk]),
        {"line": [f"h-{habilitation.pk}", f"m-{membership.pk}"]},
        REMOTE_ADDR="192.0.2.7",
    )
    assert response.status_code == 302
    decisions = ReviewDecision.objects.filter(review=review)
    assert sorted(decisions.values_list("outcome", "ip_address")) == [(Outcome.CONFIRMED, "192.0.2.7")] * 2
    page = page_of(signed_in.get(response.url))
    assert "2 ligne(s) confirmée(s)" in page
    assert f'value="h-{habilitation.pk}"' not in page  # decided: no more checkbox nor button
    assert f"Confirmée le {TODAY:%d/%m/%Y}" in page


def test_one_line_alone_with_its_own_button(signed_in, review, habilitation, declarant):
    signed_in.post(
        reverse("afas:review_end", args=[review.pk]),
        {"only": f"h-{habilitation.pk}", "line": [f"m-{declarant.memberships.get().pk}"]},
    )
    habilitation.refresh_from_db()
    assert habilitation.fin == TODAY
    assert list(ReviewDecision.objects.values_list("habilitation", flat=True)) == [habilitation.pk]
    search = reverse("afas:habilitations")
    historique = page_of(signed_in.get(search, {"etat": Habilitation.Etat.HISTORIQUE}))
    assert "Péri Assoc" in historique


def test_every_line_of_a_user(signed_in, review, habilitation, declarant, manager):
    signed_in.post(reverse("afas:review_confirm", args=[review.pk]), {"user": declarant.pk})
    assert ReviewDecision.objects.count() == 2
    assert not ReviewDecision.objects.filter(membership__user=manager).exists()


def test_confirm_everything_still_to_review(signed_in, review, habilitation):
    signed_in.post(reverse("afas:review_confirm", args=[review.pk]), {"all": "1"})
    assert ReviewDecision.objects.count() == 3


def test_nothing_checked_says_so(signed_in, review, habilitation):
    response = signed_in.post(reverse("afas:review_confirm", args=[review.pk]), follow=True)
    assert "Cochez au moins une ligne à revoir." in page_of(response)


def test_another_partners_review_is_a_404(signed_in, other_organisme):
    foreign = AccessReviewFactory(organisme=other_organisme)
    assert signed_in.get(reverse("afas:review", args=[foreign.pk])).status_code == 404
    assert signed_in.post(reverse("afas:review_end", args=[foreign.pk]), {"all": "1"}).status_code == 404


def test_another_partners_line_is_not_touched(signed_in, review, other_organisme):
    foreign = HabilitationFactory(activite__organisme=other_organisme)
    signed_in.post(reverse("afas:review_end", args=[review.pk]), {"line": [f"h-{foreign.pk}"]})
    foreign.refresh_from_db()
    assert foreign.fin is None and not ReviewDecision.objects.exists()


def test_a_closed_review_is_read_only(signed_in, organisme, habilitation):
    review = AccessReviewFactory(
        organisme=organisme, opens_on=TODAY.replace(month=1), date_limite=TODAY.replace(month=2)
    )
    page = page_of(signed_in.get(reverse("afas:review", args=[review.pk])))
    assert "Cette revue est close" in page and 'name="line"' not in page


def test_the_list_and_the_welcome_page_show_the_open_review(signed_in, review):
    listing = page_of(signed_in.get(reverse("afas:reviews")))
    assert reverse("afas:review", args=[review.pk]) in listing
    welcome = page_of(signed_in.get(reverse("accounts:welcome")))
    assert "Revue des habilitations" in welcome
    assert f"avant le {review.date_limite:%d/%m/%Y}" in welcome


def test_the_menu_shows_it_to_habilitation_managers_only(client, manager, organisme, review):
    client.force_login(manager)
    assert reverse("afas:reviews") in client.get(reverse("accounts:welcome")).content.decode()
    admin = UserFactory(organisme=organisme, partner_admin=True, nom="SANSHABILITER")
    client.force_login(admin)
    welcome = client.get(reverse("accounts:welcome")).content.decode()
    assert reverse("afas:reviews") not in welcome and "Revue des habilitations" not in welcome


@pytest.mark.parametrize("rows", [1, 50])
def test_query_count_does_not_grow_with_rows(
    signed_in, review, manager, activite, django_assert_max_num_queries, rows
):
    for _ in range(rows - 1):  # with the manager: `rows` users, each with lines
        HabilitationFactory(activite=activite, user__organisme=activite.organisme)
    ReviewDecision.objects.create(
        review=review, membership=manager.memberships.get(), organisme=activite.organisme, outcome="confirmed"
    )
    # session, user, rights (conventions + groups), the review, count, page of users, their habilitations,
    # their memberships, the decisions of each (2, one skipped when no user holds a habilitation), menu
    # rights, savepoints: 15 with 1 row, 16 with 50
    with django_assert_max_num_queries(16):
        response = signed_in.get(reverse("afas:review", args=[review.pk]))
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == rows
