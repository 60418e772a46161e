"""Django's database cache with an atomic `incr`, the default cache of Prongsai (settings.CACHES).

Django's own DatabaseCache increments by reading the value and writing it back, so two workers that
count at the same moment can both write the same number and one count is lost. Here the read and the
write happen in one transaction that holds the row: SELECT ... FOR UPDATE on PostgreSQL, and on SQLite
the write lock that Prongsai's IMMEDIATE transactions take when they begin. Everything else is Django's.
The table is made by `prongsai createcachetable` (scripts/run runs it after `migrate`; the test database
gets it from Django's test runner).
"""

from __future__ import annotations

import base64
import pickle

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, models, router, transaction
from django.utils.timezone import now as tz_now


class DatabaseCache(DjangoDatabaseCache):
    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote = connection.ops.quote_name
        table = quote(self._table)
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        expression = models.Expression(output_field=models.DateTimeField())
        converters = connection.ops.get_db_converters(expression) + expression.get_db_converters(connection)
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(f"SELECT {quote('value')}, {quote('expires')} FROM {table} "
                           f"WHERE {quote('cache_key')} = %s{lock}", [key])
            row = cursor.fetchone()
            expires = row[1] if row else None
            for converter in converters if row else ():
                expires = converter(expires, expression, connection)
            if row is None or expires < tz_now():
                raise ValueError(f"Key '{key}' not found.")
            value = pickle.loads(base64.b64decode(connection.ops.process_clob(row[0]).encode())) + delta
            stored = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(f"UPDATE {table} SET {quote('value')} = %s WHERE {quote('cache_key')} = %s",
                           [stored, key])
        return value
