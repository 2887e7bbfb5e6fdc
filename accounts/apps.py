from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = "Comptes"

    def ready(self):
        from axes.signals import user_locked_out
        from django.contrib.auth import user_logged_in, user_logged_out, user_login_failed
        from django.contrib.auth.models import update_last_login
        from django.db.models.signals import post_delete, post_save

        from . import reauth, sessions, signals, user_cache
        from .models import User
        from .second_factor import services as second_factor

        # Our receiver keeps the previous connection before updating last_login.
        user_logged_in.disconnect(update_last_login, dispatch_uid="update_last_login")
        user_logged_in.connect(signals.record_login, dispatch_uid="accounts_record_login")
        user_logged_in.connect(sessions.remember_session, dispatch_uid="accounts_remember_session")
        user_logged_in.connect(second_factor.start_session, dispatch_uid="accounts_second_factor")
        user_logged_in.connect(reauth.remember_sign_in, dispatch_uid="accounts_reauth_sign_in")
        user_logged_in.connect(signals.log_sign_in, dispatch_uid="accounts_log_sign_in")
        user_logged_out.connect(sessions.forget_session, dispatch_uid="accounts_forget_session")
        user_logged_out.connect(signals.log_sign_out, dispatch_uid="accounts_log_sign_out")
        user_login_failed.connect(signals.log_sign_in_failed, dispatch_uid="accounts_log_sign_in_failed")
        user_locked_out.connect(sessions.end_sessions_on_lockout, dispatch_uid="accounts_end_on_lockout")
        # The signed-in user's cached row (accounts/user_cache.py) follows every change of it.
        post_save.connect(user_cache.user_saved, sender=User, dispatch_uid="accounts_user_cache_save")
        post_delete.connect(user_cache.user_saved, sender=User, dispatch_uid="accounts_user_cache_delete")
