"""A stand-in for one gunicorn worker, for the shared rate-limit tests: its own process, its own Django, the
same database (the test database, named by RATELIMIT_DB_NAME) and the same cache (REDIS_URL or the
database cache). Reads one command a line from stdin and answers one line on stdout:

    code SLUG ADDRESS CODE      POST the code to the agency's status page; answers the status code
    add NAME ADDRESS N          count N attempts on limiter NAME; answers the last count
    count NAME ADDRESS          answers the current count
    quit

Run as `python -m prongsai.complaints.tests.ratelimit_worker`.
"""

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prongsai.settings")

import django  # noqa: E402
from django.conf import settings  # noqa: E402

settings.DATABASES["default"]["NAME"] = os.environ["RATELIMIT_DB_NAME"]
for name, value in (("PRONGSAI_COMPLAINT_CODE_LIMIT", "RATELIMIT_CODE_LIMIT"),
                    ("PRONGSAI_COMPLAINT_SUBMIT_LIMIT", "RATELIMIT_SUBMIT_LIMIT")):
    if os.environ.get(value):
        setattr(settings, name, int(os.environ[value]))
if os.environ.get("RATELIMIT_KEY_PREFIX"):
    settings.CACHES["default"]["KEY_PREFIX"] = os.environ["RATELIMIT_KEY_PREFIX"]
django.setup()

from django.test import Client, RequestFactory  # noqa: E402
from django.template.loader import get_template  # noqa: E402
from django.urls import get_resolver, reverse  # noqa: E402

from prongsai.complaints import ratelimit  # noqa: E402


def main() -> None:
    client, factory = Client(), RequestFactory()
    get_resolver().url_patterns  # loaded before "ready", as a worker that has served a page has them
    get_template("complaints/status_code.html")
    print("ready", flush=True)
    for line in sys.stdin:
        words = line.split()
        if not words or words[0] == "quit":
            break
        if words[0] == "code":
            slug, address, code = words[1:4]
            response = client.post(reverse("complaints:status", args=[slug]), {"code": code}, REMOTE_ADDR=address)
            print(response.status_code, flush=True)
        elif words[0] == "add":
            limiter, request = getattr(ratelimit, words[1]), factory.post("/", REMOTE_ADDR=words[2])
            count = 0
            for _ in range(int(words[3])):
                count = limiter.add(request)
            print(count, flush=True)
        elif words[0] == "count":
            print(getattr(ratelimit, words[1]).count(factory.post("/", REMOTE_ADDR=words[2])), flush=True)
        else:
            print(f"unknown command {words[0]}", flush=True)


if __name__ == "__main__":
    main()
