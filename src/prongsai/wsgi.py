import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prongsai.settings")
os.environ.setdefault("PYTHAINLP_READ_ONLY", "1")
application = get_wsgi_application()
