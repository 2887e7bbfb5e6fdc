"""The back-office's row checkbox, drawn without a template: the same HTML as Django's."""

from django.contrib import admin

from accounts.models import User
from core.admin_scoping import CafScopedAdmin


class Scoped(CafScopedAdmin, admin.ModelAdmin):
    pass


def test_row_checkbox_is_djangos_own_markup_escaped():
    user = User(pk=42, identifiant="400000042", nom='DURAND & <FILS> "SA"', prenom="Léa")
    scoped = Scoped(User, admin.site)
    assert str(scoped.action_checkbox(user)) == str(admin.ModelAdmin.action_checkbox(scoped, user))
    assert "&lt;FILS&gt;" in scoped.action_checkbox(user)
