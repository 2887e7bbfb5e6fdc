"""The left menu, built from the user's rights (rule 8). An entry whose URL does not exist is not shown."""

from django.urls import NoReverseMatch, reverse

from conventions.rights import get_rights

# (section, [(label, url name, predicate on Rights)])
MENU = [
    (
        "Organismes partenaires",
        [
            ("Consulter les types d'organismes", "conventions:partner_types", lambda r: r.is_partner_admin),
            ("Consulter les organismes partenaires", "conventions:organismes", lambda r: r.is_partner_admin),
        ],
    ),
    (
        "Conventions",
        [("Consulter les conventions", "conventions:list", lambda r: r.is_partner_admin)],
    ),
    (
        "Supervision habilitations",
        [("Habilitations de mes utilisateurs", "afas:supervision", lambda r: r.is_partner_admin)],
    ),
    (
        "Aides financières d'action sociale",
        [
            ("Accueil AFAS", "afas:home", lambda r: r.is_declarant or r.can_manage_habilitations),
            ("Mes déclarations", "afas:declarations", lambda r: r.is_declarant),
            # Same rule as the page itself (afas_user_required): whoever works in AFAS.
            ("Statistiques", "afas:statistics", lambda r: r.is_declarant or r.can_manage_habilitations),
            ("Administration des profils", "afas:habilitations", lambda r: r.can_manage_habilitations),
            ("Règles d'usage", "pages:usage_rules", lambda r: r.is_declarant or r.can_manage_habilitations),
        ],
    ),
    (
        "Administration",
        [("Modifier mon adresse mail", "accounts:email_change", lambda r: True)],
    ),
]


def build_menu(user, current_path=""):
    rights = get_rights(user)
    sections = []
    for title, entries in MENU:
        items = []
        for label, url_name, allowed in entries:
            if not allowed(rights):
                continue
            try:
                url = reverse(url_name)
            except NoReverseMatch:
                continue
            items.append({"label": label, "url": url, "current": current_path == url})
        if items:
            sections.append({"title": title, "items": items})
    return sections
