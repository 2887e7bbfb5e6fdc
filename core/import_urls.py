"""The pages of a file import (core/imports.py), the same in every app that imports a file: the form that
takes the file, the template to fill in, the import's progress, preview or result, and its confirmation."""

from django.urls import path


def import_pages(name, *, upload, template, detail, confirm):
    """The URLs of an import's four pages, below the prefix they are included at, named `<name>_upload`,
    `<name>_template`, `<name>_detail` and `<name>_confirm`: the import's id is `import_pk`, the template's
    format `fmt`."""
    return [
        path("", upload, name=f"{name}_upload"),
        path("modele.<str:fmt>", template, name=f"{name}_template"),
        path("<int:import_pk>/", detail, name=f"{name}_detail"),
        path("<int:import_pk>/confirmer/", confirm, name=f"{name}_confirm"),
    ]
