"""ASVS 6.5.2: recovery codes are shown once, kept only as keyed hashes, and serve once."""

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django_otp.plugins.otp_static.models import StaticToken

from accounts.second_factor.models import RecoveryCode
from accounts.second_factor.services import matching_device, recovery_code_digest, recovery_codes_left
from tests.accounts.factories import RecoveryCodeFactory, UserFactory
from tests.accounts.second_factor import give_totp


@pytest.mark.django_db
def test_the_database_holds_no_recovery_code_in_clear():
    user = UserFactory(declarant=True)
    _, codes = give_totp(user, recovery=True)
    assert len(codes) == 10 and RecoveryCode.objects.filter(user=user).count() == 10
    assert not StaticToken.objects.exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_recoverycode")
        stored = repr(cursor.fetchall()).lower()
    assert not [code for code in codes if code in stored]


@pytest.mark.django_db
def test_a_used_code_is_refused():
    user = UserFactory(declarant=True)
    _, codes = give_totp(user, recovery=True)
    assert isinstance(matching_device(user, codes[3]), RecoveryCode)
    assert matching_device(user, codes[3]) is None
    assert recovery_codes_left(user) == 9
    assert RecoveryCode.objects.filter(user=user, used_at__isnull=False).count() == 1  # kept, dated


@pytest.mark.django_db
def test_a_code_of_another_user_or_replaced_is_refused():
    user, other = UserFactory(declarant=True), UserFactory(declarant=True)
    _, codes = give_totp(user, recovery=True)
    assert matching_device(other, codes[0]) is None
    give_totp(user, recovery=True)  # new codes: the first ones stop working
    assert matching_device(user, codes[0]) is None


@pytest.mark.django_db
def test_spaces_and_capitals_do_not_matter():
    user = UserFactory(declarant=True)
    RecoveryCodeFactory(user=user, code="abcd2345")
    assert isinstance(matching_device(user, " ABCD 2345 "), RecoveryCode)


@pytest.mark.django_db(transaction=True)
def test_the_migration_hashes_the_codes_kept_in_clear_and_deletes_them():
    executor = MigrationExecutor(connection)
    before = [("accounts", "0015_user_rights_version")]
    after = [("accounts", "0016_recovery_codes_hashed_and_passkeys")]
    executor.migrate(before)
    apps = executor.loader.project_state([*before, ("otp_static", "0003_add_timestamps")]).apps
    user = UserFactory(declarant=True)
    device = apps.get_model("otp_static", "StaticDevice").objects.create(
        user_id=user.pk, name="Codes de secours"
    )
    apps.get_model("otp_static", "StaticToken").objects.create(device=device, token="abcd2345")
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert not StaticToken.objects.exists()
    assert list(RecoveryCode.objects.values_list("digest", flat=True)) == [
        recovery_code_digest(user, "abcd2345")
    ]
    with transaction.atomic():
        assert isinstance(matching_device(user, "ABCD 2345"), RecoveryCode)


@pytest.mark.django_db
def test_codes_made_before_a_key_rotation_sign_in_while_the_old_key_is_a_fallback(settings):
    user = UserFactory(declarant=True)
    settings.SECRET_KEY = "the-key-of-last-year-" * 3
    _, codes = give_totp(user, recovery=True)
    # Rotated as Django documents it: a new SECRET_KEY, the old one moved to SECRET_KEY_FALLBACKS.
    settings.SECRET_KEY, settings.SECRET_KEY_FALLBACKS = "the-key-of-this-year-" * 3, [settings.SECRET_KEY]
    assert isinstance(matching_device(user, codes[0]), RecoveryCode)
    assert matching_device(user, codes[0]) is None  # still single use
    # Once the old key leaves the fallbacks, its codes no longer sign in (new ones are to be made).
    settings.SECRET_KEY_FALLBACKS = []
    assert matching_device(user, codes[1]) is None
