"""`prongsai complaints_rotate_key`: seal every complaint value and attachment again under a new key.

With the key file (the default): a new key is added first in the file, everything is re-encrypted under
it in batches (one transaction each), and the old keys stay in the file so that anything written by a
process that had not yet re-read the file still opens; `--drop-unused` later removes the keys no value
uses any more. With PRONGSAI_COMPLAINT_KEYS: put the new key first in the variable yourself
(`--print-new-key` makes one), restart the app, then run this command to re-encrypt under it.

Before changing anything, every value is opened once with the current keys: a wrong or missing key
stops the command with a clear message and nothing is changed. Safe to run again after a crash.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from prongsai.complaints import crypto, services


class Command(BaseCommand):
    help = "Re-encrypt all complaint data under a new key (see docs/complaints.md)."

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=200, help="rows per transaction (default 200)")
        parser.add_argument("--print-new-key", action="store_true",
                            help="only print a new '<id>:<hex>' entry for PRONGSAI_COMPLAINT_KEYS")
        parser.add_argument("--drop-unused", action="store_true",
                            help="remove from the key file the old keys that no value uses any more")

    def handle(self, *args, batch_size=200, print_new_key=False, drop_unused=False, **options):
        if print_new_key:
            self.stdout.write(crypto.new_entry_line())
            return
        try:
            ring = crypto.keyring()
            self.stdout.write(f"Keys: {', '.join(ring.keys)} (from {ring.source}); checking that every value opens…")
            in_use = services.check_all(ring)
            if drop_unused:
                return self._drop_unused(ring, in_use)
            if ring.from_file:
                ring = crypto.add_key_to_file(ring)
                self.stdout.write(f"New key {ring.current} added first in {ring.source}")
            elif in_use <= {ring.current}:
                self.stdout.write(
                    f"Everything is already under {ring.current}, the first key of PRONGSAI_COMPLAINT_KEYS. To rotate, "
                    "put a new key first in the variable (make one with --print-new-key), restart, and run this again.")
                return
            report = services.reencrypt_all(ring=ring, batch_size=batch_size, progress=self._progress)
        except crypto.ComplaintKeyError as exc:
            raise CommandError(f"nothing was changed: {exc}") from None
        self.stdout.write(self.style.SUCCESS(
            f"Re-encrypted {report.values} values and {report.files} files under {report.key_id} "
            f"({report.already} were already under it)."))
        old = [k for k in ring.keys if k != ring.current]
        if old and ring.from_file:
            self.stdout.write(f"Old keys kept for reading: {', '.join(old)}. After restarting the app, remove them "
                              "with: prongsai complaints_rotate_key --drop-unused")
        elif old:
            self.stdout.write(f"Remove the old keys {', '.join(old)} from PRONGSAI_COMPLAINT_KEYS and restart.")

    def _progress(self, model, field, done, total):
        self.stdout.write(f"  {model}.{field}: {done}/{total}")

    def _drop_unused(self, ring, in_use):
        unused = {k for k in ring.keys if k not in in_use and k != ring.current}
        if not unused:
            self.stdout.write("Every key in the ring is in use (or is the current key): nothing to drop.")
            return
        if not ring.from_file:
            self.stdout.write(f"Unused keys: {', '.join(sorted(unused))}; remove them from PRONGSAI_COMPLAINT_KEYS.")
            return
        crypto.drop_keys_from_file(ring, unused)
        self.stdout.write(self.style.SUCCESS(f"Dropped unused keys {', '.join(sorted(unused))} from {ring.source}"))
