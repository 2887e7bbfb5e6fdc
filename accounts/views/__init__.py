from .email import email_change, email_change_confirm
from .login import PortalLoginView, espace_partenaires, keep_alive, lockout_response, logout_view, welcome
from .password import ActivationView, password_forgotten, password_update
from .sessions import end_other_sessions, session_list

__all__ = [
    "ActivationView",
    "PortalLoginView",
    "email_change",
    "email_change_confirm",
    "end_other_sessions",
    "espace_partenaires",
    "keep_alive",
    "lockout_response",
    "logout_view",
    "password_forgotten",
    "password_update",
    "session_list",
    "welcome",
]
