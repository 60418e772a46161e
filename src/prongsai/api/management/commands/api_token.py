"""`prongsai api_token create USERNAME --name NAME` (prints the token once), `list [USERNAME]`,
`revoke ID`. Each create and revoke is audited, as from the /accounts/tokens/ page."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from prongsai.api import services
from prongsai.api.models import ApiToken

ACTOR = "คำสั่ง prongsai api_token"


class Command(BaseCommand):
    help = "API tokens: create (shows the token once), list, revoke."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="make a token for a user and print it (shown only this once)")
        create.add_argument("username")
        create.add_argument("--name", required=True, help="what the token is for, e.g. the program using it")
        listing = actions.add_parser("list", help="tokens (all users, or one), without their keys")
        listing.add_argument("username", nargs="?")
        revoke = actions.add_parser("revoke", help="revoke a token by its id (see list)")
        revoke.add_argument("id", type=int)

    def handle(self, *args, **options):
        getattr(self, f"_{options['action']}")(options)

    def _user(self, username: str):
        try:
            return get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"no user named {username!r}") from None

    def _create(self, options):
        user = self._user(options["username"])
        try:
            token, raw = services.create_token(actor=ACTOR, user=user, name=options["name"])
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stderr.write(f"token {token.pk} for {user.get_username()} ({token.name}); it is not shown again:")
        self.stdout.write(raw)

    def _list(self, options):
        tokens = ApiToken.objects.select_related("user").order_by("user__username", "-created_at", "-id")
        if options["username"]:
            tokens = tokens.filter(user=self._user(options["username"]))
        def when(moment) -> str:
            return timezone.localtime(moment).isoformat(timespec="seconds")

        for token in tokens:
            used = when(token.last_used_at) if token.last_used_at else "never"
            state = f"revoked {when(token.revoked_at)}" if token.revoked else "active"
            self.stdout.write(f"{token.pk}\t{token.user.get_username()}\t{token.prefix}…\t{token.name}\t"
                              f"created {when(token.created_at)}\tused {used}\t{state}")

    def _revoke(self, options):
        token = ApiToken.objects.select_related("user").filter(pk=options["id"]).first()
        if token is None:
            raise CommandError(f"no token with id {options['id']}")
        if services.revoke_token(actor=ACTOR, token=token):
            self.stdout.write(f"revoked token {token.pk} ({token.prefix}…) of {token.user.get_username()}")
        else:
            self.stdout.write(f"token {token.pk} was revoked already")
