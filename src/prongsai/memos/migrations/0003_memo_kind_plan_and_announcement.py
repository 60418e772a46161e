# Memo.kind: round memos (as before), the plan's approval memo and the executive's announcement.
# A plan or announcement memo has no round; one of each per year (docs/documents.md).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('memos', '0002_approval_chain_and_outgoing_register'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='memo',
            options={'ordering': ['plan', 'kind', 'round'], 'verbose_name': 'บันทึกข้อความ', 'verbose_name_plural': 'บันทึกข้อความ'},
        ),
        migrations.RemoveConstraint(
            model_name='memo',
            name='unique_memo_round',
        ),
        migrations.AddField(
            model_name='memo',
            name='kind',
            field=models.CharField(choices=[('round', 'บันทึกข้อความรายงานผลรายรอบ'), ('plan', 'บันทึกข้อความขออนุมัติมาตรการ'), ('announcement', 'ประกาศมาตรการ')], default='round', max_length=20, verbose_name='ประเภท'),
        ),
        migrations.AlterField(
            model_name='memo',
            name='round',
            field=models.PositiveSmallIntegerField(blank=True, choices=[(3, 3), (6, 6), (9, 9), (12, 12)], null=True, verbose_name='รอบ (เดือน)'),
        ),
        migrations.AddConstraint(
            model_name='memo',
            constraint=models.UniqueConstraint(condition=models.Q(('kind', 'round')), fields=('plan', 'round'), name='unique_memo_round'),
        ),
        migrations.AddConstraint(
            model_name='memo',
            constraint=models.UniqueConstraint(condition=models.Q(('kind', 'round'), _negated=True), fields=('plan', 'kind'), name='unique_memo_kind'),
        ),
        migrations.AddConstraint(
            model_name='memo',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('kind', 'round'), ('round__isnull', False)), models.Q(models.Q(('kind', 'round'), _negated=True), ('round__isnull', True)), _connector='OR'), name='memo_round_only_for_round_kind'),
        ),
    ]
