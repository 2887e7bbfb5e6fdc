import io

import pytest

from afas.models import AccessReview
from afas.reviews import services
from devtools.demo import accounts as accounts_demo
from devtools.demo import conventions as conventions_demo
from devtools.demo import habilitations as habilitations_demo
from devtools.demo import reviews as demo

pytestmark = pytest.mark.django_db


def load_all():
    out = io.StringIO()
    conventions_demo.load(out)
    accounts_demo.load(out)
    habilitations_demo.load(out)
    demo.load(out)


def test_demo_opens_one_review_for_the_clos_des_potiers():
    load_all()
    load_all()
    [review] = AccessReview.objects.open()
    assert review.organisme.raison_sociale == "Centre Social le Clos des Potiers"
    [row] = services.progress(review)
    assert row.reviewed == 1 and row.to_review > 0
