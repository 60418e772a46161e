"""The search index: one row per searchable thing (a published document, a published measure, an OIT
answer, a measure, a round result, a memo, an evidence title).

Rows are written only by prongsai.search.services (after the change they follow has committed, and by
`prongsai reindex`). `title_tokens`, `body_tokens` and `plain` are derived from `title` and `body`
(prongsai.search.text); the full-text indexes over them are made by the migration for each database:
PostgreSQL: a generated tsvector column `document` (the `simple` configuration over the segmented
words, title weighted A, body B) in a GIN index, and a pg_trgm GIN index over `plain`; SQLite: the
FTS5 tables search_fts (unicode61 over the segmented words) and search_trigram (trigram over
`plain`), kept in step with this table by triggers.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from prongsai.agencies.models import Agency


class Entry(models.Model):
    class Kind(models.TextChoices):
        DOCUMENT = "document", _("เอกสารที่เผยแพร่")
        REPORT = "report", _("รายงานที่เผยแพร่")
        PUBLISHED_MEASURE = "published_measure", _("มาตรการที่เผยแพร่")
        OIT = "oit", _("ข้อมูลการเปิดเผยข้อมูลสาธารณะ (OIT)")
        MEASURE = "measure", _("มาตรการ (ข้อมูลงาน)")
        RESULT = "result", _("ผลการดำเนินงาน (ข้อมูลงาน)")
        MEMO = "memo", _("บันทึกข้อความ")
        EVIDENCE = "evidence", _("หลักฐาน")

    # What the row stands for, e.g. "measure:12", "pubmeasure:3:2566:4"; unique.
    key = models.CharField(max_length=120, unique=True)
    # The set of rows rebuilt together, e.g. "plan:7", "oit:3:2566", "portal:3".
    group = models.CharField(max_length=60, db_index=True)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    public = models.BooleanField(default=False)
    fiscal_year = models.PositiveIntegerField(null=True, blank=True)
    title = models.CharField(max_length=500)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=500)
    title_tokens = models.TextField(blank=True)
    body_tokens = models.TextField(blank=True)
    plain = models.TextField(blank=True)
    # SHA-256 of what the row was made from: a rebuild rewrites only rows whose source changed.
    digest = models.CharField(max_length=64)

    class Meta:
        db_table = "search_entry"
        indexes = [models.Index(fields=["public", "agency"], name="search_entry_visible")]
        verbose_name = _("รายการในดัชนีค้นหา")
        verbose_name_plural = _("รายการในดัชนีค้นหา")

    def __str__(self) -> str:
        return f"{self.key}: {self.title}"
