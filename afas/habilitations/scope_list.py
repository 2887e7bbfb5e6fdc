"""The list of « Habiliter un utilisateur » under « Afficher les activités / les lieux d'implantation »
drawn in Python, character for character as the template drew it: the large partner's 200 activités and
their lieux made a template loop of some 700 checkboxes, most of the page's time (issue 12). Kept in the
shared cache by GrantForm.listing_html. tests/afas/test_habilitation_scope_list.py compares both
drawings."""

from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

NO_ACTIVITE = mark_safe('<p class="text-muted">Aucune activité ne correspond aux filtres.</p>\n        ')
NO_LIEU = mark_safe(
    '<p class="text-muted small mb-0">Aucun lieu d\'implantation pour cette activité.</p>\n          '
)


def _checked(pk, selected):
    return mark_safe(" checked") if pk in selected else ""


def activites_html(listed, selected):
    if not listed:
        return NO_ACTIVITE
    return format_html_join(
        "",
        '\n        <div class="form-check">\n          <input class="form-check-input" type="checkbox" '
        'name="activites" value="{}" id="activite-{}"{}>\n          <label class="form-check-label" '
        'for="activite-{}">{} <span class="text-muted small">({} · {})</span></label>\n        </div>\n        ',
        ((a.pk, a.pk, _checked(a.pk, selected), a.pk, a.nom, a.type, a.nature) for a in listed),
    )


def _lieux_html(activite, selected):
    lieux = activite.lieux.all()
    if not lieux:
        return NO_LIEU
    return format_html_join(
        "",
        '\n          <div class="form-check">\n            <input class="form-check-input" type="checkbox" '
        'name="lieux" value="{}" id="lieu-{}"{}>\n            <label class="form-check-label" for="lieu-{}">'
        '{}<span class="visually-hidden"> ({})</span></label>\n          </div>\n          ',
        ((lieu.pk, lieu.pk, _checked(lieu.pk, selected), lieu.pk, lieu.nom, activite.nom) for lieu in lieux),
    )


def lieux_html(listed, selected):
    if not listed:
        return NO_ACTIVITE
    return format_html_join(
        "",
        '\n        <fieldset class="ms-2 mt-2" id="lieux-activite-{}">\n          <legend class="h6 mb-1">{}'
        '</legend>\n          <button type="submit" name="action" value="tout_lieux_{}" class="btn btn-sm '
        'btn-link px-0 js-select-all" data-target="lieux-activite-{}">Sélectionner tous les lieux '
        "d'implantation de l'activité {}</button>\n          {}\n        </fieldset>\n        ",
        ((a.pk, a.nom, a.pk, a.pk, a.nom, _lieux_html(a, selected)) for a in listed),
    )
