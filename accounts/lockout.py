"""The sign-in lockout (django-axes), as CNIL's délibération 2022-100 describes it.

- Per identifiant: AXES_FAILURE_LIMIT failures in a row lock it, whether it exists or not.
- Per client address: AXES_IP_FAILURE_LIMIT failures from one address, whatever the identifiants, lock that
  address too (someone trying many identifiants); it is higher, since a whole office may share one address.
- A lock lasts a cool-off that grows: AXES_COOLOFF_BASE for the first lock of the day, doubled at each
  new one in the last 24 hours, up to AXES_COOLOFF_MAX. A Caf agent (a superuser: any) lifts it sooner from
  the back-office; a new password chosen through « Mot de passe oublié » lifts it too.
- Every failure is also kept in axes' AccessFailureLog (AXES_ENABLE_ACCESS_FAILURE_LOG): lifting a lock
  resets the counters, never this history, which also counts the locks of the day for the cool-off."""

from datetime import timedelta

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

DAY = timedelta(days=1)


def cool_off(request=None):
    """AXES_COOLOFF_TIME: how long the current lock of this request's identifiant lasts."""
    base, longest = settings.AXES_COOLOFF_BASE, settings.AXES_COOLOFF_MAX
    username = get_client_username(request) if request is not None else None
    if not username:
        return base
    failures = AccessFailureLog.objects.filter(username=username, attempt_time__gte=timezone.now() - DAY)
    locks = failures.count() // settings.AXES_FAILURE_LIMIT
    return min(base * 2 ** max(locks - 1, 0), longest)


class LockoutHandler(AxesDatabaseHandler):
    """axes' database handler, with the per-address limit besides the per-identifiant one."""

    def get_failures(self, request, credentials=None):
        by_identifiant = super().get_failures(request, credentials)
        address = getattr(request, "axes_ip_address", None)
        if not address:
            return by_identifiant
        attempts = AccessAttempt.objects.filter(
            ip_address=address, attempt_time__gte=get_cool_off_threshold(request)
        )
        by_address = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
        # Counted on the identifiant's scale: AXES_IP_FAILURE_LIMIT failures from the address lock it.
        return max(by_identifiant, by_address * settings.AXES_FAILURE_LIMIT // settings.AXES_IP_FAILURE_LIMIT)
