from django.core.validators import RegexValidator

# A name is shown in pages, mails, exports and the back-office: `<` and `>` have no place in one and only
# serve to inject markup somewhere a name is not escaped (a spreadsheet, another system).
validate_person_name = RegexValidator(
    r"[<>]",
    inverse_match=True,
    message="Les caractères < et > ne sont pas acceptés dans un nom ou un prénom.",
    code="invalid_name",
)

# Django's own French says « adresse de courriel »; the portal says « adresse mail » everywhere.
INVALID_EMAIL = "Saisissez une adresse mail valide, par exemple prenom.nom@organisme.fr."
