"""One row per scheduled run of a job: the claim that makes a job run at most once a day."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class JobRun(models.Model):
    """A job's run on one day (Asia/Bangkok). Created before the command starts, so two schedulers
    (the long-running one and a cron `--once`) cannot both run a job on the same day."""

    class Outcome(models.TextChoices):
        RUNNING = "running", _("กำลังทำงาน")
        OK = "ok", _("สำเร็จ")
        FAILED = "failed", _("ล้มเหลว")
        INTERRUPTED = "interrupted", _("ถูกหยุดกลางคัน")

    job = models.CharField(_("งาน"), max_length=100)
    day = models.DateField(_("วันที่"))
    started_at = models.DateTimeField(_("เริ่ม"))
    finished_at = models.DateTimeField(_("เสร็จ"), null=True, blank=True)
    outcome = models.CharField(_("ผล"), max_length=20, choices=Outcome.choices, default=Outcome.RUNNING)
    # what went wrong: the error's class and code location (or a CommandError's text), never personal data
    error = models.CharField(_("ข้อผิดพลาด"), max_length=500, blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [models.UniqueConstraint(fields=["job", "day"], name="jobs_jobrun_once_a_day")]
        verbose_name = _("การทำงานตามกำหนดเวลา")
        verbose_name_plural = _("การทำงานตามกำหนดเวลา")

    def __str__(self) -> str:
        return f"{self.job} {self.day.isoformat()} {self.outcome}"
