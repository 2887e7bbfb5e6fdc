from django.core.validators import RegexValidator

# A name is shown in pages, mails, exports and the back-office: `<` and `>` have no place in one and only
# serve to inject markup somewhere a name is not escaped (a spreadsheet, another system).
validate_person_name = RegexValidator(
    r"[<>]",
    inverse_match=True,
    message="Les caractères < et > ne sont pas acceptés dans un nom ou un prénom.",
    code="invalid_name",
)

# A name goes into mail subjects (« … vous a habilité »): a line break there makes the mail fail and be
# lost; nobody's name holds one (nor any other control character).
validate_one_line_name = RegexValidator(
    r"[\x00-\x1f\x7f]",
    inverse_match=True,
    message="Un nom ou un prénom s'écrit sur une seule ligne, sans retour à la ligne ni tabulation.",
    code="multiline_name",
)

# Django's own French says « adresse de courriel »; the portal says « adresse mail » everywhere.
INVALID_EMAIL = "Saisissez une adresse mail valide, par exemple prenom.nom@organisme.fr."
