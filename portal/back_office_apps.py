"""The libraries' application configurations as the back-office uses them: its site, and the French names
under which their models appear there. (Not portal/apps.py: that module is the portal app's own.)"""

from axes.apps import AppConfig as AxesAppConfig
from django.contrib.admin.apps import AdminConfig
from django_tasks_db.apps import TasksAppConfig


class BackOfficeAdminConfig(AdminConfig):
    default_site = "portal.admin_site.BackOfficeSite"


class LockoutsConfig(AxesAppConfig):
    verbose_name = "Blocages de connexion"


class MailQueueConfig(TasksAppConfig):
    verbose_name = "File d'envoi des mails"
