import os

from django.core.wsgi import get_wsgi_application

from config.startup import check_settings_or_exit

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
check_settings_or_exit()
application = get_wsgi_application()
