"""What an agency has published: a publication with a stable URL, its versions, and their files.

A publication is either a round report (its versions are frozen ReportVersions of an approved memo)
or a document the agency uploads (manual, order, plan, announcement). Versions and files are never
changed or deleted once written: every /v<n>/ URL and every SHA-256 stays answerable for good.
Rows are created only through prongsai.portal.services.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from prongsai.agencies.models import Agency
from prongsai.reports.models import ReportVersion


class Publication(models.Model):
    class Kind(models.TextChoices):
        ROUND_REPORT = "round_report", _("รายงานผลการดำเนินงานรายรอบ")
        DOCUMENT = "document", _("เอกสาร")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="publications")
    kind = models.CharField(_("ประเภท"), max_length=20, choices=Kind.choices)
    # Round reports: the fiscal year and round. Documents: the year they belong to, if any.
    fiscal_year = models.PositiveIntegerField(_("ปีงบประมาณ (พ.ศ.)"), null=True, blank=True)
    round = models.PositiveSmallIntegerField(_("รอบ (เดือน)"), null=True, blank=True)
    # Documents only: the <doc-slug> of /a/<slug>/documents/<doc-slug>/ (never changes).
    slug = models.SlugField(_("ชื่อในลิงก์"), max_length=80, blank=True, allow_unicode=False)
    title = models.CharField(_("ชื่อเรื่อง"), max_length=300)
    created_at = models.DateTimeField(_("เผยแพร่ครั้งแรก"), auto_now_add=True)

    class Meta:
        ordering = ["agency", "-fiscal_year", "kind", "round", "slug"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "fiscal_year", "round"], condition=models.Q(kind="round_report"),
                                    name="unique_published_round_report"),
            models.UniqueConstraint(fields=["agency", "slug"], condition=models.Q(kind="document"),
                                    name="unique_published_document_slug"),
        ]
        verbose_name = _("รายการเผยแพร่")
        verbose_name_plural = _("รายการเผยแพร่")

    def __str__(self) -> str:
        return self.title

    @property
    def is_report(self) -> bool:
        return self.kind == self.Kind.ROUND_REPORT


class PublishedVersion(models.Model):
    publication = models.ForeignKey(Publication, on_delete=models.PROTECT, related_name="versions")
    # Round reports: the number of the frozen ReportVersion (ฉบับที่ n as staff see it); documents: 1, 2, ...
    number = models.PositiveIntegerField(_("ฉบับที่"))
    report_version = models.OneToOneField(ReportVersion, on_delete=models.PROTECT, null=True, blank=True,
                                          related_name="publication_version")
    summary = models.TextField(_("สรุป"), blank=True)
    published_at = models.DateTimeField(_("เวลาที่เผยแพร่"), auto_now_add=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("ผู้เผยแพร่"))

    class Meta:
        ordering = ["publication", "number"]
        constraints = [models.UniqueConstraint(fields=["publication", "number"], name="unique_published_version")]
        verbose_name = _("ฉบับที่เผยแพร่")
        verbose_name_plural = _("ฉบับที่เผยแพร่")

    def __str__(self) -> str:
        return f"{self.publication} v{self.number}"


class PublishedFile(models.Model):
    """One downloadable file of a version (report.pdf / report.docx / report.html, or the uploaded
    document), stored under MEDIA_ROOT, with the SHA-256 the verify page answers for."""

    version = models.ForeignKey(PublishedVersion, on_delete=models.PROTECT, related_name="files")
    name = models.CharField(_("ชื่อไฟล์"), max_length=120)  # the last part of its URL, e.g. "report.pdf"
    label = models.CharField(_("รูปแบบ"), max_length=20)  # "PDF", "DOCX", "HTML"
    content_type = models.CharField(max_length=120)
    stored = models.CharField(max_length=300)  # the name in default_storage
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)

    class Meta:
        ordering = ["version", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "name"], name="unique_published_file_name")]
        verbose_name = _("ไฟล์ที่เผยแพร่")
        verbose_name_plural = _("ไฟล์ที่เผยแพร่")

    def __str__(self) -> str:
        return f"{self.version}/{self.name}"
