"""
Creates or updates the staff user named by DJANGO_STAFF_USERNAME, with the password in
DJANGO_STAFF_PASSWORD and the e-mail in DJANGO_STAFF_EMAIL. Safe to run on every deploy:
running it again changes nothing unless a variable changed. Exits non-zero, without
touching the database, when a variable is missing or the password is too weak.
"""

import os

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

REQUIRED = ("DJANGO_STAFF_USERNAME", "DJANGO_STAFF_PASSWORD", "DJANGO_STAFF_EMAIL")


class Command(BaseCommand):
    help = "Create or update the staff user from DJANGO_STAFF_* environment variables."

    def handle(self, *args, **options) -> None:
        missing = [name for name in REQUIRED if not os.environ.get(name, "").strip()]
        if missing:
            raise CommandError(f"Missing environment variables: {', '.join(missing)}.")
        username = os.environ["DJANGO_STAFF_USERNAME"].strip()
        password = os.environ["DJANGO_STAFF_PASSWORD"]
        email = os.environ["DJANGO_STAFF_EMAIL"].strip()
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError("DJANGO_STAFF_EMAIL is not a valid e-mail address.") from None

        User = get_user_model()
        with transaction.atomic():
            user = User.objects.select_for_update().filter(username=username).first()
            created = user is None
            if created:
                user = User(username=username)
            try:
                validate_password(password, user=User(username=username, email=email))
            except ValidationError as error:
                raise CommandError(
                    "DJANGO_STAFF_PASSWORD is too weak: " + " ".join(error.messages)
                ) from None
            changed = created or not (user.is_staff and user.is_active and user.email == email)
            user.is_staff = True
            user.is_active = True
            user.email = email
            if created or not user.check_password(password):
                user.set_password(password)
                changed = True
            if changed:
                user.save()

        if created:
            self.stdout.write(f"Created staff user {username!r}.")
        elif changed:
            self.stdout.write(f"Updated staff user {username!r}.")
        else:
            self.stdout.write(f"Staff user {username!r} is already up to date.")
