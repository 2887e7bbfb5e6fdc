"""« Revue des habilitations » (issue 14, rules 20 to 22): which lines a campaign reviews, confirming or
ending them, what the date limite does to the others, the Caf's progress, reminders and export.

A line is an habilitation in force, or a current membership of an AFAS group, of a partner the campaign
reviews. Ending one goes through the services that end any habilitation or membership, so it moves to
« Historique » as any other end; every decision is a ReviewDecision (who, when, IP) and an AuditEvent."""

from dataclasses import dataclass, field
from operator import attrgetter

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Prefetch
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from conventions.models import HabilitationGroup, Membership, Organisme
from conventions.rights import get_rights, has_right
from conventions.services import close_membership
from core.errors import Refused
from core.fragments import cached_fragment, forget_data
from core.links import absolute_url
from core.mail import send_portal_mail
from core.spreadsheet import Column, cells, column_sheet, headers, xlsx_file

from ..habilitations.services import end_habilitation, partner_administrators, record
from ..models import AccessReview, AuditAction, Habilitation, Outcome, ReviewDecision, Unreviewed

CLOSED = "Cette revue des habilitations n'est plus ouverte : sa date limite est passée."
NOTHING_SELECTED = "Cochez au moins une ligne à revoir."


def reviewed_organismes(review):
    """Rule 20: the partner the campaign was opened for, or every partner of its Caf."""
    if review.organisme_id:
        return Organisme.objects.filter(pk=review.organisme_id)
    return Organisme.objects.filter(caf=review.caf_id)


def reviews_of(admin):
    """The campaigns that concern the partners `admin` administers today (their rights, cached: no subquery
    of conventions and seats to build and run on every welcome page)."""
    rights = get_rights(admin)
    return AccessReview.objects.concerning(rights.organisme_ids, rights.caf_ids).select_related(
        "organisme", "caf"
    )


# The open campaigns of the welcome page are kept in the shared cache (core/fragments.py, issue 12) under
# this token, which every save or delete of a campaign drops (opened, edited, closed by the daily job),
# and under the partners administered and the day (a campaign opens and ends with a date).
REVIEWS_SCOPE = "access-reviews"


def open_reviews_for(user):
    """The open campaigns a user reviews: none unless they manage habilitations (rule 2)."""
    if not has_right(user, "can_manage_habilitations"):
        return []
    today = timezone.localdate()
    return cached_fragment(
        "open-reviews",
        [REVIEWS_SCOPE],
        [sorted(get_rights(user).partners), today],
        lambda: list(reviews_of(user).open(today)),
    )


def review_changed(sender, instance, **kwargs):
    forget_data([REVIEWS_SCOPE])


def organismes_reviewed_by(review, admin):
    """The partners of the campaign that `admin` administers: the only lines they see and decide."""
    return reviewed_organismes(review).filter(pk__in=Organisme.objects.administered_by(admin).values("pk"))


def habilitation_lines(organismes, on=None):
    return Habilitation.objects.in_force(on).filter(activite__organisme__in=organismes)


def membership_lines(organismes, on=None):
    return Membership.objects.current(on).filter(
        user__organisme__in=organismes,
        group__code__in=[HabilitationGroup.HABILITER, HabilitationGroup.DECLARER],
    )


def _decided(review, kind):
    return ReviewDecision.objects.filter(review=review, **{kind: OuterRef("pk")})


def lines_to_review(review, organismes, on=None):
    """(habilitations, memberships) in force that this campaign has no decision on yet."""
    habilitations = habilitation_lines(organismes, on).exclude(Exists(_decided(review, "habilitation")))
    memberships = membership_lines(organismes, on).exclude(Exists(_decided(review, "membership")))
    return habilitations, memberships


def users_with_lines(review, organismes, on=None):
    """The partners' users who hold a line, each with `review_habilitations` and `review_memberships`
    (prefetched, each line with `review_decision`, its decision in this campaign or None): a constant
    number of queries whatever the number of users."""
    habilitations = (
        habilitation_lines(organismes, on)
        .select_related("activite", "lieu")
        .prefetch_related(Prefetch("review_decisions", ReviewDecision.objects.filter(review=review)))
        .order_by("activite__nom", "lieu__nom", "role")
    )
    memberships = (
        membership_lines(organismes, on)
        .select_related("group")
        .prefetch_related(Prefetch("review_decisions", ReviewDecision.objects.filter(review=review)))
        .order_by("group__code")
    )
    holding = Exists(habilitation_lines(organismes, on).filter(user=OuterRef("pk"))) | Exists(
        membership_lines(organismes, on).filter(user=OuterRef("pk"))
    )
    return (
        User.objects.filter(holding, organisme__in=organismes)
        .prefetch_related(
            Prefetch("habilitations", habilitations, to_attr="review_habilitations"),
            Prefetch("memberships", memberships, to_attr="review_memberships"),
        )
        .order_by("nom", "prenom", "pk")
    )


def describe_line(line):
    """Sets on a line of users_with_lines its `review_decision` in the campaign (or None), its
    `review_value` in a form (« h-<pk> », « m-<pk> ») and its `review_label`."""
    decisions = list(line.review_decisions.all())
    line.review_decision = decisions[0] if decisions else None
    if isinstance(line, Habilitation):
        line.review_value = f"h-{line.pk}"
        line.review_label = f"Habilitation {line.get_role_display()} — {line.scope_label}"
    else:
        line.review_value = f"m-{line.pk}"
        line.review_label = f"Groupe {line.group.libelle}"
    return line


@dataclass
class Selection:
    """The lines a POST names: « h-<pk> » for an habilitation, « m-<pk> » for a membership."""

    habilitations: list = field(default_factory=list)
    memberships: list = field(default_factory=list)

    def __bool__(self):
        return bool(self.habilitations or self.memberships)


def select_lines(review, organismes, *, values=(), user_pk=None, everything=False, on=None):
    """The lines still to review of these partners only: all of them, every line of user `user_pk`, or
    those named in `values`. An id of another partner, or a line already decided, is left out."""
    habilitations, memberships = lines_to_review(review, organismes, on)
    if everything:
        pass
    elif user_pk is not None:
        habilitations = habilitations.filter(user=user_pk)
        memberships = memberships.filter(user=user_pk)
    else:
        ids = {"h": set(), "m": set()}
        for value in values:
            kind, _, pk = str(value).partition("-")
            if kind in ids and pk.isdigit():
                ids[kind].add(int(pk))
        habilitations = habilitations.filter(pk__in=ids["h"])
        memberships = memberships.filter(pk__in=ids["m"])
    return Selection(
        list(habilitations.select_related("user", "activite__organisme", "lieu")),
        list(memberships.select_related("user", "group")),
    )


def _check_open(review, on=None):
    if not review.is_open(on):
        raise Refused(CLOSED)


def _decide(review, outcome, by, ip_address, habilitation=None, membership=None):
    """Writes the line's decision. When another administrator decided it first, the unique constraint
    raises IntegrityError and _each_line's savepoint undoes the rest of the line."""
    organisme_id = habilitation.activite.organisme_id if habilitation else membership.user.organisme_id
    ReviewDecision.objects.create(
        review=review,
        habilitation=habilitation,
        membership=membership,
        organisme_id=organisme_id,
        outcome=outcome,
        decided_by=by,
        ip_address=ip_address,
    )


def _each_line(selection, act):
    """Runs `act(habilitation=…)` / `act(membership=…)` per line, each in its own savepoint; returns the
    number done (a line decided meanwhile by someone else is skipped)."""
    done = 0
    lines = [{"habilitation": h} for h in selection.habilitations]
    lines += [{"membership": m} for m in selection.memberships]
    for line in lines:
        try:
            with transaction.atomic():
                act(**line)
            done += 1
        except (IntegrityError, Refused):
            continue
    return done


def confirm_lines(review, selection, *, by, ip_address=None):
    """Rule 20: the administrator confirms the lines; they stay as they are."""
    _check_open(review)
    if not selection:
        raise Refused(NOTHING_SELECTED)

    def confirm(habilitation=None, membership=None):
        _decide(review, Outcome.CONFIRMED, by, ip_address, habilitation, membership)
        subject = (habilitation or membership).user
        details = {"revue": review.pk}
        if membership:
            details["groupe"] = membership.group.libelle
        record(
            AuditAction.REVIEW_CONFIRMED, by, habilitation, subject=subject, ip_address=ip_address, **details
        )

    return _each_line(selection, confirm)


def end_lines(review, selection, *, by, ip_address=None):
    """Rule 20: the administrator ends the lines, today, as « Supprimer » or « clôturer » would."""
    _check_open(review)
    if not selection:
        raise Refused(NOTHING_SELECTED)

    def end(habilitation=None, membership=None):
        _decide(review, Outcome.ENDED, by, ip_address, habilitation, membership)
        _end_line(review, by, ip_address, habilitation, membership, AuditAction.REVIEW_ENDED)

    return _each_line(selection, end)


def _end_line(review, by, ip_address, habilitation, membership, action):
    if habilitation is not None:
        end_habilitation(habilitation, ended_by=by, ip_address=ip_address, action=action)
    else:
        close_membership(membership, by)
        details = {"revue": review.pk, "groupe": membership.group.libelle}
        record(action, by, subject=membership.user, ip_address=ip_address, **details)


def handle_unreviewed(review, on=None):
    """Rule 21, the day after the date limite: every line nobody reviewed is kept and flagged to the Caf,
    or ended, as the campaign says. Runs once per campaign (closed_at): running it again does nothing."""
    on = on or timezone.localdate()
    with transaction.atomic():
        review = AccessReview.objects.select_for_update().get(pk=review.pk)
        if review.closed_at is not None or review.date_limite >= on:
            return 0
        ending = review.unreviewed == Unreviewed.END
        outcome = Outcome.ENDED_UNREVIEWED if ending else Outcome.KEPT_UNREVIEWED
        habilitations, memberships = lines_to_review(review, reviewed_organismes(review), on)
        selection = Selection(
            list(habilitations.select_related("user", "activite__organisme", "lieu")),
            list(memberships.select_related("user", "group")),
        )

        def leave(habilitation=None, membership=None):
            _decide(review, outcome, None, None, habilitation, membership)
            if ending:
                _end_line(review, None, None, habilitation, membership, AuditAction.REVIEW_UNREVIEWED)
            else:
                subject = (habilitation or membership).user
                record(AuditAction.REVIEW_UNREVIEWED, None, habilitation, subject=subject, revue=review.pk)

        done = _each_line(selection, leave)
        review.closed_at = timezone.now()
        review.save(update_fields=["closed_at"])
    return done


def handle_due_reviews(on=None):
    """The daily job (manage.py close_access_reviews): every campaign whose date limite is past."""
    return {review: handle_unreviewed(review, on) for review in AccessReview.objects.due(on)}


@dataclass
class Progress:
    organisme: Organisme
    reviewed: int = 0
    to_review: int = 0
    ended: int = 0
    flagged: int = 0


ENDED_OUTCOMES = [Outcome.ENDED, Outcome.ENDED_UNREVIEWED]


def progress(review, on=None):
    """Rule 22: per partner of the campaign, the lines confirmed, still to review, ended, and kept
    unreviewed (flagged to the Caf), in four queries whatever the number of partners."""
    organismes = reviewed_organismes(review)
    rows = {o.pk: Progress(o) for o in organismes.order_by("raison_sociale")}
    if review.closed_at is None:
        habilitations, memberships = lines_to_review(review, organismes, on)
        for pk, count in habilitations.values_list("activite__organisme").annotate(n=Count("pk")).order_by():
            rows[pk].to_review += count
        for pk, count in memberships.values_list("user__organisme").annotate(n=Count("pk")).order_by():
            rows[pk].to_review += count
    decisions = review.decisions.values_list("organisme", "outcome").annotate(n=Count("pk")).order_by()
    for pk, outcome, count in decisions:
        row = rows.get(pk)
        if row is None:
            continue
        if outcome == Outcome.CONFIRMED:
            row.reviewed += count
        elif outcome in ENDED_OUTCOMES:
            row.ended += count
        else:
            row.flagged += count
    return list(rows.values())


def reviewers(organisme, on=None):
    """Who reviews a partner's lines: its administrators who are in AFAS-HABILITER (rule 2)."""
    habiliter = Membership.objects.current(on).filter(group__code=HabilitationGroup.HABILITER)
    return partner_administrators(organisme, on).filter(pk__in=habiliter.values("user"))


def send_reminders(review, *, by, request=None, ip_address=None):
    """Rule 22: « Envoyer une relance » mails the reviewers of every partner that has lines still to
    review (through the task queue); returns the number of partners reminded."""
    _check_open(review)
    link = absolute_url(reverse("afas:review", args=[review.pk]), request)
    reminded = 0
    for row in progress(review):
        if not row.to_review:
            continue
        recipients = [user.email for user in reviewers(row.organisme) if user.email]
        if not recipients:
            continue
        send_portal_mail(
            "access_review_reminder",
            recipients,
            {"review": review, "organisme": row.organisme, "to_review": row.to_review, "link": link},
        )
        record(
            AuditAction.REVIEW_REMINDED,
            by,
            ip_address=ip_address,
            revue=review.pk,
            organisme=row.organisme.raison_sociale,
        )
        reminded += 1
    review.last_reminder_at = timezone.now()
    review.save(update_fields=["last_reminder_at"])
    return reminded


def line_label(decision):
    if decision.habilitation_id:
        habilitation = decision.habilitation
        return f"Habilitation {habilitation.get_role_display()} — {habilitation.scope_label}"
    return f"Groupe {decision.membership.group.libelle}"


def line_user(decision):
    return (decision.habilitation or decision.membership).user


def decided_by_label(decision):
    return str(decision.decided_by) if decision.decided_by else "(tâche quotidienne)"


# The campaign's progress as the back-office shows it and the export writes it, one row per partner.
PROGRESS_COLUMNS = (
    Column("Organisme partenaire", lambda row: row.organisme.raison_sociale),
    Column("Revues", attrgetter("reviewed")),
    Column("À revoir", attrgetter("to_review")),
    Column("Terminées", attrgetter("ended")),
    Column("Non revues, signalées", attrgetter("flagged")),
)
PROGRESS_HEADERS = headers(PROGRESS_COLUMNS)

# The export's decisions, one row per decision.
DECISION_COLUMNS = (
    Column("Organisme partenaire", lambda decision: decision.organisme.raison_sociale),
    Column("Identifiant", lambda decision: line_user(decision).identifiant),
    Column("Utilisateur", lambda decision: str(line_user(decision))),
    Column("Ligne", line_label),
    Column("Décision", lambda decision: decision.get_outcome_display()),
    Column("Par", decided_by_label),
    Column("Le", lambda decision: timezone.localtime(decision.decided_at).replace(tzinfo=None)),
    Column("Adresse IP", lambda decision: decision.ip_address or ""),
)


def progress_rows(review):
    """The campaign's progress, one row per partner under PROGRESS_HEADERS."""
    return [cells(PROGRESS_COLUMNS, row) for row in progress(review)]


def to_xlsx(review):
    """Rule 22: the campaign's export: its progress per partner, then every decision."""
    decisions = review.decisions.select_related(
        "organisme",
        "decided_by",
        "habilitation__user",
        "habilitation__activite",
        "habilitation__lieu",
        "membership__user",
        "membership__group",
    ).order_by("organisme__raison_sociale", "decided_at")
    return xlsx_file(
        column_sheet("Avancement", PROGRESS_COLUMNS, progress(review)),
        column_sheet("Décisions", DECISION_COLUMNS, decisions),
    )
