from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory

from core.errors import Refused, confirmed, perform


def request_with_messages():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def told(request):
    return [(m.level_tag, m.message) for m in get_messages(request)]


def test_a_refused_operation_tells_the_rule_and_not_the_success():
    request = request_with_messages()

    def refuse():
        raise Refused(["Déjà close.", "Rien à faire."])

    assert perform(request, refuse, "Fait.") is False
    assert told(request) == [("error", "Déjà close. Rien à faire.")]


def test_a_done_operation_tells_the_success_read_after_it():
    request = request_with_messages()
    done = []
    assert perform(request, lambda: done.append(1), lambda: f"Fait {len(done)} fois.") is True
    assert told(request) == [("success", "Fait 1 fois.")]


def test_a_confirmation_page_acts_only_on_its_post():
    done = []
    shown = RequestFactory().get("/")
    assert confirmed(shown, lambda: done.append(1), "Fait.") is False
    assert done == []

    posted = request_with_messages()
    assert confirmed(posted, lambda: done.append(1), "Fait.") is True
    assert done == [1]
    assert told(posted) == [("success", "Fait.")]


def test_a_refused_confirmation_is_told_and_handled_all_the_same():
    request = request_with_messages()

    def refuse():
        raise Refused("Déjà close.")

    assert confirmed(request, refuse, "Fait.") is True
    assert told(request) == [("error", "Déjà close.")]
