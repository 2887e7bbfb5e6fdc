from .email import email_change, email_change_confirm
from .login import PortalLoginView, espace_partenaires, keep_alive, lockout_response, logout_view, welcome
from .password import ActivationView, password_forgotten, password_update

__all__ = [
    "ActivationView",
    "PortalLoginView",
    "email_change",
    "email_change_confirm",
    "espace_partenaires",
    "keep_alive",
    "lockout_response",
    "logout_view",
    "password_forgotten",
    "password_update",
    "welcome",
]
